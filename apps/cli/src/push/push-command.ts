import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';

import { inspectBundle } from '@ml-run/model-contract';
import { DEFAULT_ALIAS, type UploadResponse } from '@ml-run/registry-contract';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import { replicasOption, targetOption, type DeployOptions } from '../deploy/deploy-options';
import { deployVersion, type DeployWait } from '../deploy/deploy-version';
import type { BuilderClient } from '../http/builder-client';
import { packModel } from '../pack/pack-model';
import { createProgressBar, formatBytes } from '../progress/progress-bar';
import { authorizedClients } from '../session/clients';
import { followBuild, reportBuild } from './follow-build';

export type PushOptions = DeployOptions & { deploy?: boolean; ownerGroup?: string[] };

type Upload = { zip: string; cleanup: () => Promise<void> };

/** A folder is packed to a temporary zip; a zip is checked as the builder will check it. */
async function bundleToUpload(target: string, out: (line: string) => void): Promise<Upload> {
  const stats = await stat(target).catch(() => {
    throw new CliError(`${target} does not exist: name a model folder or a bundle zip`);
  });
  if (stats.isDirectory()) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ml-run-push-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    const packed = await packModel(target, undefined, dir).catch(async (error: unknown) => {
      await cleanup();
      throw error;
    });
    const { manifest, version } = packed.bundle;
    out(`packed ${target}: ${manifest.name} ${version} (${formatBytes(packed.bytes)})`);
    return { zip: packed.file, cleanup };
  }
  await inspectBundle(target);
  return { zip: target, cleanup: async () => undefined };
}

async function upload(
  deps: CliDeps,
  builder: BuilderClient,
  zip: string,
  ownerGroups: readonly string[],
): Promise<UploadResponse> {
  const { size } = await stat(zip);
  const bar = createProgressBar(deps.status, `uploading ${path.basename(zip)}`, size, deps.now);
  let answer: UploadResponse;
  try {
    answer = await builder.upload(zip, (sent) => bar.update(sent), ownerGroups);
  } finally {
    bar.finish();
  }
  const what = answer.created
    ? 'a new version'
    : 'already known (same content was uploaded before): no new build';
  deps.out(`uploaded ${answer.name} ${answer.version}: ${what}`);
  return answer;
}

/** Points `stable` at the version when the model has no stable alias yet. */
async function ensureStableAlias(deps: CliDeps, builder: BuilderClient, up: UploadResponse) {
  const current = (await builder.getModel(up.name)).aliases[DEFAULT_ALIAS];
  const versions = current?.versions.filter((v) => v.weight > 0).map((v) => v.version) ?? [];
  if (versions.length === 1 && versions[0] === up.version) {
    deps.out(`alias ${DEFAULT_ALIAS} points at ${up.version}`);
  } else if (current !== undefined) {
    const move = `ml-run alias ${up.name} ${DEFAULT_ALIAS} ${up.version}`;
    deps.out(`alias ${DEFAULT_ALIAS} stays at ${versions.join(', ')} (to move it: ${move})`);
  } else {
    await builder.setAlias(up.name, DEFAULT_ALIAS, { version: up.version });
    deps.out(`alias ${DEFAULT_ALIAS} now points at ${up.version} (the model had none)`);
  }
}

/** Uploads, follows the build, and with --deploy deploys and sets `stable` when unset. */
export async function push(deps: CliDeps, target: string, options: PushOptions, wait?: DeployWait) {
  const { builder } = await authorizedClients(deps);
  const { zip, cleanup } = await bundleToUpload(target, deps.out);
  try {
    const uploaded = await upload(deps, builder, zip, options.ownerGroup ?? []);
    reportBuild(await followBuild(builder, uploaded.buildId, deps.out), deps.out);
    if (!options.deploy) return;
    const deployTarget = { name: uploaded.name, version: uploaded.version, options };
    await deployVersion(builder, deps.out, deployTarget, wait);
    await ensureStableAlias(deps, builder, uploaded);
  } finally {
    await cleanup();
  }
}

export function registerPushCommand(program: Command, deps: CliDeps): void {
  program
    .command('push <bundle>')
    .description('upload a bundle zip or a model folder (packed first), follow its build')
    .option('--deploy', 'deploy the version once built, and make it stable if none is')
    .option(
      '--owner-group <group>',
      'a new model only: a group (one you are in) that owns it with you; repeat for more',
      (group: string, groups: string[] = []) => [...groups, group],
    )
    .addOption(replicasOption())
    .addOption(targetOption())
    .action((bundle: string, options: PushOptions) => push(deps, bundle, options));
}

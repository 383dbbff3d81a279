import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';

import { DataDirs } from '@ml-run/builder-registry';
import { readManifestFile } from '@ml-run/model-contract';
import type { BuildStepName, ModelVersionRecord } from '@ml-run/registry-contract';
import { isMissing } from '@ml-run/registry-store';

import type { BuildRun, StepOutcome } from './build-run';
import { BuildStepError } from './build.errors';
import { COMMAND_RUNNER, type CommandRunner } from './command-runner.port';
import { ImageSteps } from './image-steps.service';
import { installDependencies } from './install-dependencies';
import { BUILD_POLICY, type BuildPolicy } from './source-builds';
import { unpackBundle } from './unpack-bundle';

type RunnableStep = Exclude<BuildStepName, 'validate'>;

/**
 * Runs the steps after `validate` (done at upload): the process target's (store, unpack,
 * dependencies), then the image and its push when this builder makes images.
 */
@Injectable()
export class BuildRunner {
  constructor(
    private readonly dirs: DataDirs,
    @Inject(COMMAND_RUNNER) private readonly commands: CommandRunner,
    private readonly images: ImageSteps,
    @Inject(BUILD_POLICY) private readonly policy: BuildPolicy,
  ) {}

  /** Runs every step in order; throws BuildStepError at the first that fails. */
  async execute(run: BuildRun, version: ModelVersionRecord): Promise<void> {
    const steps: [RunnableStep, () => Promise<StepOutcome>][] = [
      ['store', () => this.checkStored(version)],
      ['unpack', () => this.unpack(version)],
      ['dependencies', () => this.install(run, version)],
      ['image', () => this.images.build(run, version)],
      ['push', () => this.images.push(run, version)],
    ];
    for (const [name, step] of steps) await this.runStep(run, name, step);
  }

  private async runStep(
    run: BuildRun,
    name: RunnableStep,
    step: () => Promise<StepOutcome>,
  ): Promise<void> {
    // A shutdown stops the build between steps; the step in progress sees the signal.
    run.abort.signal.throwIfAborted();
    run.stepStarted(name);
    try {
      const outcome = await step();
      run.stepEnded(name, outcome.state, outcome.message);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      run.stepEnded(name, 'failed', message);
      throw new BuildStepError(name, message);
    }
  }

  private async checkStored(version: ModelVersionRecord): Promise<StepOutcome> {
    const zip = this.dirs.bundleZip(version.bundleSha256);
    const size = await stat(zip).then(
      (info) => info.size,
      (error: unknown) => {
        if (isMissing(error)) return undefined;
        throw error;
      },
    );
    if (size !== version.bundleBytes) {
      throw new Error(`bundle ${path.basename(zip)} is missing or damaged; upload it again`);
    }
    return { state: 'done', message: `bundles/${path.basename(zip)} (${size} bytes)` };
  }

  private async unpack(version: ModelVersionRecord): Promise<StepOutcome> {
    const target = this.dirs.unpackedBundle(version.name, version.version);
    const files = await unpackBundle(this.dirs.bundleZip(version.bundleSha256), target);
    return {
      state: 'done',
      message: `${files} files into ${path.relative(this.dirs.root, target)}`,
    };
  }

  private async install(run: BuildRun, version: ModelVersionRecord): Promise<StepOutcome> {
    const bundleDir = this.dirs.unpackedBundle(version.name, version.version);
    const manifest = await readManifestFile(bundleDir);
    return installDependencies(bundleDir, manifest, this.commands, this.policy, {
      onLine: (line) => run.log(line),
      signal: run.abort.signal,
    });
  }
}

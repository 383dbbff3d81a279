import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { ModelVersionRecord } from '@ml-run/registry-contract';

import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import { deploymentRecord, loggedIn, modelRecord } from '../testing/fixtures';
import { registerModelsCommands } from './models-command';

const V1 = '1.0.0+aaaaaaaaaaaa';
const V2 = '1.1.0+bbbbbbbbbbbb';

const version = (v: string, state: ModelVersionRecord['state']): ModelVersionRecord => ({
  name: 'iris',
  version: v,
  codeVersion: v.split('+')[0] ?? '',
  coefficientsDigest: 'sha256:0',
  runtime: 'python',
  bundleSha256: '0',
  bundleBytes: 1,
  defaultReplicas: 1,
  uploadedBy: 'ada',
  uploadedAt: '2026-11-28T12:00:00.000Z',
  buildId: 'b-1',
  state,
});

describe(registerModelsCommands.name, () => {
  let root: string;
  let builder: FakeServer;
  let sut: CliHarness;
  let models: unknown[];

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-models-'));
    await loggedIn(root);
    models = [];
    builder = await startFakeServer({
      'GET /v1/models': () => ({ json: { models } }),
      'GET /v1/models/iris': () => ({
        json: modelRecord({
          name: 'iris',
          versions: [version(V1, 'built'), version(V2, 'build_failed')],
          aliases: {
            stable: {
              versions: [
                { version: V1, weight: 90 },
                { version: V2, weight: 10 },
              ],
            },
            old: { versions: [{ version: V1, weight: 100 }] },
          },
          deployments: [deploymentRecord({ name: 'iris', version: V1, replicas: 2 })],
        }),
      }),
    });
    sut = cliHarness({ dataDir: root, urls: { builder: builder.url, router: '', auth: '' } });
  });
  afterEach(async () => {
    await builder.close();
    await rm(root, { recursive: true, force: true });
  });

  it('says when there are no models', async () => {
    await sut.run('models');
    expect(sut.lines).toEqual(['no models yet; push one with ml-run push <dir>']);
  });

  it('lists models as a table', async () => {
    models = [
      { name: 'iris', latestVersion: V2, versions: 2, aliases: ['stable'], deployed: [V1] },
    ];
    await sut.run('models');
    expect(sut.lines).toEqual([
      'NAME  LATEST              VERSIONS  ALIASES  DEPLOYED            SANDBOX',
      `iris  ${V2}  2         stable   ${V1}  -`,
    ]);
  });

  it('shows how deployed models are sandboxed, and says so in words when less than full', async () => {
    const warning =
      'no uid change (the user mlrun-model does not exist): model code runs as the platform user';
    models = [
      {
        name: 'iris',
        latestVersion: V2,
        versions: 2,
        aliases: [],
        deployed: [V1],
        sandbox: { level: 'full', warnings: [] },
      },
      {
        name: 'echo',
        latestVersion: V1,
        versions: 1,
        aliases: [],
        deployed: [V1],
        sandbox: { level: 'partial', warnings: [warning] },
      },
    ];
    await sut.run('models');
    expect(sut.lines[1]).toMatch(/^iris .* full$/);
    expect(sut.lines[2]).toMatch(/^echo .* partial$/);
    expect(sut.lines.slice(3)).toEqual([`warning: echo sandbox partial: ${warning}`]);
  });

  it("lists a model's versions with aliases, weights and deployments", async () => {
    await sut.run('versions', 'iris');
    expect(sut.lines[0]).toMatch(/^VERSION +STATE +RUNTIME +UPLOADED +BY +ALIASES +DEPLOYMENT$/);
    expect(sut.lines[1]).toMatch(
      new RegExp(`^${V1.replace('+', '\\+')} +built .* stable:90%,old +ready 2/2$`),
    );
    expect(sut.lines[2]).toMatch(/build_failed .* stable:10% +-$/);
  });

  it('turns an unknown model into an API error', async () => {
    await expect(sut.run('versions', 'nope')).rejects.toThrow(/^error NOT_FOUND: /);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { CliError } from '../cli.errors';
import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import { deploymentRecord, loggedIn, modelRecord } from '../testing/fixtures';
import { registerDeployCommands } from './deploy-command';

const V1 = '1.0.0+aaaaaaaaaaaa';
const DEPLOYMENT = `/v1/models/iris/versions/${V1}/deployment`;

describe(registerDeployCommands.name, () => {
  let root: string;
  let builder: FakeServer;
  let sut: CliHarness;
  let polls: number;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-deploy-'));
    await loggedIn(root);
    polls = 0;
    const failed = deploymentRecord({
      name: 'iris',
      version: V1,
      state: 'failed',
      replicas: 1,
      replicaStatus: [
        {
          id: 'r-1',
          url: 'http://127.0.0.1:9101',
          state: 'failed',
          restarts: 0,
          error: 'ValueError: bad',
        },
      ],
    });
    builder = await startFakeServer({
      [`POST ${DEPLOYMENT}`]: () => ({
        status: 202,
        json: deploymentRecord({
          name: 'iris',
          version: V1,
          state: 'deploying',
          replicaStatus: [],
        }),
      }),
      'GET /v1/models/iris': () => ({
        json: modelRecord({
          deployments: [
            deploymentRecord({
              name: 'iris',
              version: V1,
              state: polls++ < 1 ? 'deploying' : 'ready',
            }),
          ],
        }),
      }),
      [`DELETE ${DEPLOYMENT}`]: () => ({ json: deploymentRecord({ state: 'removed' }) }),
      'POST /v1/models/iris/versions/bad/deployment': () => ({ json: failed }),
    });
    sut = cliHarness({ dataDir: root, urls: { builder: builder.url, router: '', auth: '' } });
  });
  afterEach(async () => {
    await builder.close();
    await rm(root, { recursive: true, force: true });
  });

  it('deploys and waits for the replicas to settle', async () => {
    await sut.run('deploy', 'iris', V1, '--replicas', '2');
    expect(JSON.parse(builder.requests[0]?.body.toString() ?? '')).toEqual({ replicas: 2 });
    expect(polls).toBe(2);
    expect(sut.lines[0]).toBe(`deployment iris ${V1}: ready (2 replicas, target process)`);
    expect(sut.lines).toHaveLength(4);
  });

  it("fails with the replicas' errors when the deployment fails", async () => {
    await expect(sut.run('deploy', 'iris', 'bad')).rejects.toThrow(CliError);
    expect(sut.lines).toContain('  r-1      http://127.0.0.1:9101  failed  ValueError: bad');
  });

  it('checks --replicas and --target before calling the builder', async () => {
    await expect(sut.run('deploy', 'iris', V1, '--replicas', '0')).rejects.toThrow(/1 to 64/);
    await expect(sut.run('deploy', 'iris', V1, '--target', 'moon')).rejects.toThrow(
      /process, swarm, openshift/,
    );
    expect(builder.requests).toEqual([]);
  });

  it('undeploys', async () => {
    await sut.run('undeploy', 'iris', V1);
    expect(builder.requests[0]?.method).toBe('DELETE');
    expect(sut.lines).toEqual([`undeployed iris ${V1}`]);
    await sut.run('undeploy', 'iris', V1, '--force');
    expect(builder.requests[1]?.query.get('force')).toBe('true');
  });
});

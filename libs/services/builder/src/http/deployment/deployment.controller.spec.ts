import { setTimeout as sleep } from 'node:timers/promises';

import { DeploymentController } from '@ml-run/builder-deployments';
import { EXAMPLES, exampleZip, FakeCommandRunner } from '@ml-run/builder-image-build/testing';
import type { DeploymentRecord, ModelEvent } from '@ml-run/registry-contract';
import { SCRAPER } from '@ml-run/server/testing';

import { read, uploadBuilt, versionUrl, write } from '../../testing/builder-requests';
import { bearer, READER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const retrained = (prefix: string) => ({
  'coefficients/settings.json': `{ "prefix": "${prefix}" }`,
});

const stableOf = async (sut: TestBuilder) =>
  (await read(sut, '/v1/models/echo')).json().aliases.stable;

const allTo = (version: string) => ({ versions: [{ version, weight: 100 }] });

describe(DeploymentController.name, () => {
  let sut: TestBuilder;
  let v1: string;
  let v2: string;

  beforeEach(async () => {
    sut = await startTestBuilder();
    v1 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo))).version;
    v2 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo, retrained('two: ')))).version;
    sut.events.length = 0;
  });
  afterEach(() => sut.close());

  const deploy = (version: string, body?: object) =>
    write(sut, 'POST', `${versionUrl('echo', version)}/deployment`, body);
  const undeploy = (version: string, query = '') =>
    write(sut, 'DELETE', `${versionUrl('echo', version)}/deployment${query}`);
  const types = () => sut.events.map((e) => e.type);

  it('deploys a built version, answers its record and gives the model a stable alias', async () => {
    const res = await deploy(v1);
    expect(res.statusCode).toBe(200);
    const record: DeploymentRecord = res.json();
    expect(record).toMatchObject({
      name: 'echo',
      version: v1,
      target: 'process',
      replicas: 1,
      state: 'ready',
    });
    expect(sut.deployer.deployed).toEqual([
      {
        name: 'echo',
        version: v1,
        modelDir: expect.stringContaining(`/models/echo/${v1}/bundle`),
        replicas: 1,
        env: { MLRUN_AUTH_MODE: 'disabled' },
        readyTimeoutMs: 300_000,
        // The manifest's resources (defaults here), for targets that enforce limits.
        resources: { cpu: '500m', memory: '512Mi' },
        runtime: 'node',
      },
    ]);
    expect(await stableOf(sut)).toEqual(allTo(v1));
    expect(types()).toEqual(expect.arrayContaining(['deployment.ready', 'alias.changed']));
  });

  it('scales a deployed version instead of deploying it twice', async () => {
    await deploy(v1, { replicas: 3 });
    const res = await deploy(v1, { replicas: 2 });
    expect(res.json()).toMatchObject({ replicas: 2, state: 'ready' });
    expect(sut.deployer.deployed).toHaveLength(1);
    expect(sut.deployer.get('echo', v1)?.replicaStatus).toHaveLength(2);
  });

  it.each([
    [{ target: 'swarm' }, 'TARGET_UNAVAILABLE', 'available: process'],
    [{ target: 'kubernetes' }, 'TARGET_UNAVAILABLE', 'process, swarm, openshift'],
    [{ replicas: 0 }, 'INVALID_REPLICAS', 'from 1 to 64'],
    [{ replicas: 65 }, 'INVALID_REPLICAS', 'from 1 to 64'],
    [{ replicas: 1.5 }, 'INVALID_REPLICAS', 'got 1.5'],
    [{ replicas: '2' }, 'INVALID_REPLICAS', 'got "2"'],
  ])('refuses %j with 422 %s', async (body, code, hint) => {
    const res = await deploy(v1, body);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ code, message: expect.stringContaining(hint) });
    expect(sut.deployer.list()).toEqual([]);
  });

  it('refuses a version that is not built yet with 409', async () => {
    const runner = new FakeCommandRunner({ hold: true });
    await sut.close();
    sut = await startTestBuilder({ commands: runner });
    const withDeps = await exampleZip(EXAMPLES.echo, {
      'package.json': JSON.stringify({ dependencies: { 'left-pad': '1.3.0' } }),
    });
    const res = await sut.app.inject({
      method: 'POST',
      url: '/v1/models',
      headers: { ...bearer('writer-token'), 'content-type': 'application/zip' },
      payload: withDeps,
    });
    await runner.started();
    const refused = await deploy(res.json().version);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'VERSION_NOT_BUILT',
      message: expect.stringContaining('building'),
    });
    runner.finish(0);
    await sut.buildsIdle();
  });

  it('answers 404 naming the versions for an unknown version', async () => {
    const res = await deploy('9.9.9+000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('VERSION_NOT_FOUND');
    expect(res.json().message).toContain(v1);
  });

  it("answers 422 with the model's error when replicas fail, and the running version keeps serving", async () => {
    await deploy(v1);
    sut.events.length = 0;
    sut.deployer.failNext('init failed: settings.json missing');
    const res = await deploy(v2);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      code: 'DEPLOYMENT_FAILED',
      message: expect.stringContaining('init failed: settings.json missing'),
    });
    expect(sut.deployer.get('echo', v1)?.state).toBe('ready');
    expect(sut.deployer.get('echo', v2)).toBeUndefined();
    expect(await stableOf(sut)).toEqual(allTo(v1));
    expect(types()).toContain('deployment.failed');
    expect(types()).not.toContain('alias.changed');
  });

  it('rolls stable over to a new version, then stops the old one after the drain', async () => {
    await sut.close();
    sut = await startTestBuilder({ settings: { MLRUN_DRAIN_SECONDS: '1' } });
    v1 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo))).version;
    v2 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo, retrained('two: ')))).version;
    await deploy(v1);
    sut.events.length = 0;
    const started = Date.now();
    const rollout = deploy(v2);
    while (!types().includes('alias.changed')) await sleep(10);
    expect(sut.deployer.get('echo', v1)?.state).toBe('ready');
    expect((await rollout).statusCode).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(sut.deployer.get('echo', v1)).toBeUndefined();
    expect(await stableOf(sut)).toEqual(allTo(v2));
    const lifecycle = sut.events.filter((e) => e.type !== 'deployment.changed');
    expect(lifecycle.map(describeEvent)).toEqual([
      `deployment.ready ${v2}`,
      `alias.changed ${v2}`,
      `deployment.removed ${v1}`,
    ]);
  });

  it('leaves a canary split alone', async () => {
    await deploy(v1);
    const canary = {
      versions: [
        { version: v1, weight: 90 },
        { version: v2, weight: 10 },
      ],
    };
    await write(sut, 'PUT', '/v1/models/echo/aliases/stable', canary);
    await deploy(v2);
    expect(await stableOf(sut)).toEqual(canary);
    expect(
      sut.deployer
        .list()
        .map((d) => d.version)
        .sort(),
    ).toEqual([v1, v2].sort());
  });

  it('undeploys on DELETE, but not the only version stable serves unless forced', async () => {
    await deploy(v1);
    const refused = await undeploy(v1);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('DEPLOYMENT_IN_USE');
    expect(sut.deployer.get('echo', v1)).toBeDefined();
    const forced = await undeploy(v1, '?force=true');
    expect(forced.statusCode).toBe(200);
    expect(forced.json()).toMatchObject({ version: v1, state: 'removed' });
    expect(sut.deployer.list()).toEqual([]);
    expect(types()).toContain('deployment.removed');
    const again = await undeploy(v1, '?force=true');
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('DEPLOYMENT_NOT_FOUND');
  });

  it('undeploys a version stable does not serve', async () => {
    await deploy(v1);
    await write(sut, 'PUT', '/v1/models/echo/aliases/canary', { version: v2 });
    await deploy(v2);
    await write(sut, 'PUT', '/v1/models/echo/aliases/stable', { version: v1 });
    expect((await undeploy(v2)).statusCode).toBe(200);
  });

  it('publishes replica changes as deployment.changed', async () => {
    await deploy(v1);
    sut.events.length = 0;
    sut.deployer.crash('echo', v1, 0);
    expect(sut.events).toEqual([
      expect.objectContaining({
        type: 'deployment.changed',
        deployment: expect.objectContaining({ version: v1, state: 'degraded' }),
      }),
    ]);
  });

  it('needs models:write on the model', async () => {
    const res = await sut.app.inject({
      method: 'POST',
      url: `${versionUrl('echo', v1)}/deployment`,
      headers: bearer(READER_TOKEN),
    });
    expect(res.statusCode).toBe(403);
  });

  it('brings deployments and aliases back after a restart', async () => {
    await deploy(v1, { replicas: 2 });
    sut = await sut.restart();
    expect(sut.deployer.get('echo', v1)).toMatchObject({ replicas: 2, state: 'ready' });
    expect(await stableOf(sut)).toEqual(allTo(v1));
    const models = (await read(sut, '/v1/models')).json().models;
    expect(models).toEqual([
      { name: 'echo', latestVersion: v2, versions: 2, aliases: ['stable'], deployed: [v1] },
    ]);
  });

  it('counts deployments by state', async () => {
    await deploy(v1);
    const metrics = (await sut.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER }))
      .body;
    expect(metrics).toMatch(/mlrun_deployments\{state="ready",service="builder"\} 1/);
  });
});

function describeEvent(event: ModelEvent): string {
  if ('deployment' in event) return `${event.type} ${event.deployment.version}`;
  if (event.type === 'alias.changed') return `${event.type} ${event.target?.versions[0]?.version}`;
  return event.type;
}

import { ReplicaQuota } from '@ml-run/builder-deployments';
import { EXAMPLES, exampleZip } from '@ml-run/builder-image-build/testing';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { uploadBuilt, versionUrl, write } from '../../testing/builder-requests';
import { ADMIN_TOKEN, bearer } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const retrained = (prefix: string) => ({
  'coefficients/settings.json': `{ "prefix": "${prefix}" }`,
});

// ada may run 3 replicas in all (MLRUN_MAX_REPLICAS_PER_USER=3); admins are exempt.
describe(ReplicaQuota.name, () => {
  let sut: TestBuilder;
  let v1: string;
  let v2: string;

  beforeEach(async () => {
    sut = await startTestBuilder({ settings: { MLRUN_MAX_REPLICAS_PER_USER: '3' } });
    v1 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo))).version;
    v2 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo, retrained('two: ')))).version;
  });
  afterEach(() => sut.close());

  const deploy = (version: string, replicas: number, token?: string) =>
    token === undefined
      ? write(sut, 'POST', `${versionUrl('echo', version)}/deployment`, { replicas })
      : sut.app.inject({
          method: 'POST',
          url: `${versionUrl('echo', version)}/deployment`,
          headers: bearer(token),
          payload: { replicas },
        });
  const desired = () => sut.app.nest.get<RegistryStore>(REGISTRY_STORE).listDesiredDeployments();

  it('records who deployed a deployment', async () => {
    expect((await deploy(v1, 2)).statusCode).toBe(200);
    expect(await desired()).toEqual([expect.objectContaining({ version: v1, deployedBy: 'ada' })]);
  });

  it('refuses a deploy that would take the user over the cap, changing nothing', async () => {
    expect((await deploy(v1, 2)).statusCode).toBe(200);
    const before = {
      desired: await desired(),
      deployed: sut.deployer.list(),
      events: sut.events.length,
    };
    const res = await deploy(v2, 2);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'REPLICA_QUOTA_EXCEEDED',
      details: { limit: 3, running: 2, requested: 2 },
    });
    expect(res.json().message).toContain('MLRUN_MAX_REPLICAS_PER_USER');
    expect(await desired()).toEqual(before.desired);
    expect(sut.deployer.list()).toEqual(before.deployed);
    expect(sut.events).toHaveLength(before.events);
  });

  it('counts a redeploy of the same version as its new size, not on top of the old', async () => {
    expect((await deploy(v1, 2)).statusCode).toBe(200);
    expect((await deploy(v1, 3)).statusCode).toBe(200);
    expect((await deploy(v1, 4)).json()).toMatchObject({ code: 'REPLICA_QUOTA_EXCEEDED' });
  });

  it('lets two deploys at once, of two models, take only what the cap holds', async () => {
    const manifest =
      'name: other\nruntime: node\nentry: model.js\ncodeVersion: 1.0.0\ncoefficients:\n  path: coefficients/\n';
    const other = (
      await uploadBuilt(sut, await exampleZip(EXAMPLES.echo, { 'ml-run.yaml': manifest }))
    ).version;
    const answers = await Promise.all([
      deploy(v1, 2),
      write(sut, 'POST', `${versionUrl('other', other)}/deployment`, { replicas: 2 }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 403]);
  });

  it('exempts admins', async () => {
    expect((await deploy(v1, 3)).statusCode).toBe(200);
    expect((await deploy(v2, 3, ADMIN_TOKEN)).statusCode).toBe(200);
  });
});

import { ModelPrincipalLifecycle } from '@ml-run/builder-deployments';
import { EXAMPLES, exampleZip } from '@ml-run/builder-image-build/testing';

import { uploadBuilt, versionUrl, write } from '../../testing/builder-requests';
import { FakeModelPrincipals } from '../../testing/fake-model-principals';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const retrained = (prefix: string) => ({
  'coefficients/settings.json': `{ "prefix": "${prefix}" }`,
});

// A model's Kafka principal lives as long as one of its versions is deployed or desired.
describe(ModelPrincipalLifecycle.name, () => {
  let sut: TestBuilder;
  let principals: FakeModelPrincipals;
  let v1: string;
  let v2: string;

  beforeEach(async () => {
    principals = new FakeModelPrincipals();
    sut = await startTestBuilder({ modelPrincipals: principals });
    v1 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo))).version;
    v2 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo, retrained('two: ')))).version;
  });
  afterEach(() => sut.close());

  const deploy = (version: string) =>
    write(sut, 'POST', `${versionUrl('echo', version)}/deployment`, {});
  const undeploy = (version: string) =>
    write(sut, 'DELETE', `${versionUrl('echo', version)}/deployment?force=true`);
  // A canary split keeps both versions deployed (no rollout retires either).
  const deployBoth = async () => {
    await deploy(v1);
    await write(sut, 'PUT', '/v1/models/echo/aliases/stable', {
      versions: [
        { version: v1, weight: 90 },
        { version: v2, weight: 10 },
      ],
    });
    await deploy(v2);
    expect(sut.deployer.list()).toHaveLength(2);
  };
  const passwords = () =>
    sut.deployer.deployed.map((spec) => spec.env['MLRUN_KAFKA_MODEL_PASSWORD']);

  it('revokes the principal when the last deployed version goes, not before', async () => {
    await deployBoth();
    expect((await undeploy(v1)).statusCode).toBe(200);
    expect(principals.revoked).toEqual([]);
    expect(await principals.provisionedModels()).toEqual(['echo']);

    expect((await undeploy(v2)).statusCode).toBe(200);
    expect(principals.revoked).toEqual(['echo']);
    expect(await principals.provisionedModels()).toEqual([]);
  });

  it('shares one password between versions and a restart, and draws another after all went', async () => {
    await deployBoth();
    const [shared] = passwords();
    expect(passwords()).toEqual([shared, shared]);
    sut = await sut.restart();
    expect(passwords()).toEqual([shared, shared]); // both restored
    expect(principals.revoked).toEqual([]);

    await undeploy(v1);
    await undeploy(v2);
    await deploy(v1);
    const [again] = passwords().slice(-1);
    expect(again).not.toBe(shared);
  });

  it('undeploys although Kafka refuses the revocation, and the next start revokes it', async () => {
    await deploy(v1);
    principals.revokeFailure = new Error('Connection error: ECONNREFUSED 127.0.0.1:9092');
    expect((await undeploy(v1)).statusCode).toBe(200);
    expect(sut.deployer.list()).toEqual([]);
    expect(await principals.provisionedModels()).toEqual(['echo']);

    principals.revokeFailure = undefined;
    sut = await sut.restart();
    expect(principals.revoked).toEqual(['echo']);
    expect(await principals.provisionedModels()).toEqual([]);
  });

  it('keeps the principals of desired deployments at a restart, and revokes once', async () => {
    await deploy(v1);
    sut = await sut.restart();
    expect(await principals.provisionedModels()).toEqual(['echo']);
    await undeploy(v1);
    sut = await sut.restart();
    expect(principals.revoked).toEqual(['echo']);
  });
});

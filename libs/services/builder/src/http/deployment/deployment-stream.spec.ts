import { DeploymentController, type ModelPrincipals } from '@ml-run/builder-deployments';
import { EXAMPLES, exampleZip } from '@ml-run/builder-image-build/testing';

import { uploadBuilt, versionUrl, write } from '../../testing/builder-requests';
import { FakeModelPrincipals } from '../../testing/fake-model-principals';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const IN = 'ml-run.stream.echo.in';
const OUT = 'ml-run.stream.echo.out';

describe(`${DeploymentController.name} with a stream`, () => {
  let sut: TestBuilder;
  let v1: string;
  let principals: FakeModelPrincipals;
  beforeEach(() => {
    principals = new FakeModelPrincipals();
  });

  async function start(withKafka: boolean, modelPrincipals: ModelPrincipals = principals) {
    sut = await startTestBuilder(withKafka ? { modelPrincipals } : {});
    v1 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo))).version;
  }
  afterEach(() => sut.close());

  const deploy = (body?: object) =>
    write(sut, 'POST', `${versionUrl('echo', v1)}/deployment`, body);

  it('gives replicas the model’s own Kafka principal and the stream', async () => {
    await start(true);
    expect((await deploy({ stream: { from: IN, to: OUT } })).statusCode).toBe(200);
    expect(sut.deployer.deployed[0]?.env).toEqual({
      MLRUN_AUTH_MODE: 'disabled',
      MLRUN_KAFKA_BROKERS: '127.0.0.1:9092',
      MLRUN_KAFKA_MODEL_USERNAME: `model-echo.${principals.principals.get('echo')}`,
      MLRUN_KAFKA_MODEL_PASSWORD: `derived-echo-${principals.principals.get('echo')}`,
      MLRUN_STREAM_FROM: IN,
      MLRUN_STREAM_TO: OUT,
    });
  });

  it('restarts the replicas for a new stream, and keeps the stream through a scale and a restart', async () => {
    await start(true);
    await deploy({ stream: { from: IN, to: OUT } });
    await deploy({ stream: { from: IN, to: `${OUT}-2` } });
    await deploy({ replicas: 2 });
    expect(sut.deployer.deployed.map((spec) => spec.env['MLRUN_STREAM_TO'])).toEqual([
      OUT,
      `${OUT}-2`,
    ]);
    sut = await sut.restart();
    expect(sut.deployer.deployed.map((spec) => spec.env['MLRUN_STREAM_TO'])).toEqual([`${OUT}-2`]);
  });

  it.each([
    ['a platform topic', { from: IN, to: 'ml-run.tokens' }],
    ['another model’s namespace', { from: 'ml-run.stream.echo-2.in', to: OUT }],
    ['the model’s request topic', { from: 'ml-run.predict.echo', to: OUT }],
    ['one topic for both', { from: IN, to: IN }],
    ['no --to', { from: IN }],
  ])('refuses a stream from or to %s with 400 INVALID_STREAM', async (_case, stream) => {
    await start(true);
    const res = await deploy({ stream });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'INVALID_STREAM',
      message: expect.stringContaining('ml-run.stream.echo.'),
    });
    expect(sut.deployer.list()).toEqual([]);
  });

  it('answers 502 naming what to check when the principal cannot be provisioned', async () => {
    principals.provision = () =>
      Promise.reject(new Error('Connection error: ECONNREFUSED 127.0.0.1:9092'));
    await start(true);
    const res = await deploy();
    expect(res.statusCode).toBe(502);
    expect(res.json()).toEqual({
      code: 'UPSTREAM_FAILED',
      message: expect.stringContaining('could not give echo its Kafka principal (Connection error'),
    });
  });

  it('refuses a stream with 422 where models get no Kafka access', async () => {
    await start(false);
    const res = await deploy({ stream: { from: IN, to: OUT } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'STREAMS_UNAVAILABLE' });
  });
});

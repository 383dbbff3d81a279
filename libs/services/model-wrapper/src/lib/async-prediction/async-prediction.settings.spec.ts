import { loadConfig } from '@ml-run/config';

import { modelWrapperConfigShape } from '../model-wrapper.config';
import { asyncPredictionSettingsOf } from './async-prediction.settings';

const KAFKA = {
  MLRUN_MODEL_DIR: '/models/iris',
  MLRUN_KAFKA_BROKERS: '127.0.0.1:9092',
  MLRUN_KAFKA_MODEL_USERNAME: 'model-iris',
  MLRUN_KAFKA_MODEL_PASSWORD: 'derived-password',
};

function settingsOf(env: Record<string, string>) {
  return asyncPredictionSettingsOf(loadConfig(modelWrapperConfigShape, env), 'iris');
}

describe(asyncPredictionSettingsOf.name, () => {
  it('is off without Kafka settings', () => {
    expect(settingsOf({ MLRUN_MODEL_DIR: '/models/iris' })).toBeUndefined();
  });

  it('connects as the model’s own principal', () => {
    expect(settingsOf(KAFKA)).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      sasl: { username: 'model-iris', password: 'derived-password' },
    });
  });

  it('takes a stream inside the model’s namespace', () => {
    const stream = {
      MLRUN_STREAM_FROM: 'ml-run.stream.iris.in',
      MLRUN_STREAM_TO: 'ml-run.stream.iris.out',
    };
    expect(settingsOf({ ...KAFKA, ...stream })?.stream).toEqual({
      from: 'ml-run.stream.iris.in',
      to: 'ml-run.stream.iris.out',
    });
  });

  it.each([
    ['a platform topic', 'ml-run.tokens'],
    ['another model’s namespace', 'ml-run.stream.iris-2.out'],
    ['its own request topic', 'ml-run.predict.iris'],
  ])('refuses to start on a stream into %s', (_case, to) => {
    expect(() =>
      settingsOf({ ...KAFKA, MLRUN_STREAM_FROM: 'ml-run.stream.iris.in', MLRUN_STREAM_TO: to }),
    ).toThrow(/MLRUN_STREAM_TO.*ml-run\.stream\.iris\./);
  });

  it('refuses a stream without the model’s principal', () => {
    expect(() =>
      settingsOf({ MLRUN_MODEL_DIR: '/m', MLRUN_STREAM_FROM: 'ml-run.stream.iris.in' }),
    ).toThrow(/MLRUN_KAFKA_MODEL_USERNAME/);
  });

  it('refuses to start with the platform’s Kafka login, without echoing it', () => {
    const platform = {
      ...KAFKA,
      MLRUN_KAFKA_USERNAME: 'ml-run-platform',
      MLRUN_KAFKA_PASSWORD: 'platform-secret',
    };
    expect(() => settingsOf(platform)).toThrow(/MLRUN_KAFKA_PASSWORD/);
    expect(() => settingsOf(platform)).not.toThrow(/platform-secret/);
  });
});

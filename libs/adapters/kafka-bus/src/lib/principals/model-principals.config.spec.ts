import { loadConfig } from '@ml-run/config';

import { modelKafkaCredentialOf, modelPasswordOf } from './kafka-model-principals';
import { modelPrincipalsConfigShape, modelPrincipalsOptionsOf } from './model-principals.config';

// What a model's replicas are handed: their own principal, and Kafka as they reach it.
// A builder on a host talks to 127.0.0.1; a model's pod (openshift target) cannot.
const builder = {
  MLRUN_KAFKA_BROKERS: '127.0.0.1:9092',
  MLRUN_KAFKA_ADMIN_USERNAME: 'ml-run-broker',
  MLRUN_KAFKA_ADMIN_PASSWORD: 'admin-kafka-password-0123456789',
  MLRUN_KAFKA_MODEL_SECRET: 'model-secret-0123456789abcdef0123456789',
};

const GENERATION = 'AAAAAAAAAAAAAAAAAAAAAA';

function replicaCredential(env: Record<string, string>) {
  const options = modelPrincipalsOptionsOf(loadConfig(modelPrincipalsConfigShape, env));
  if (!options) throw new Error('no per-model principals');
  return modelKafkaCredentialOf(options, 'iris', GENERATION);
}

describe('per-model Kafka principals, as replicas get them', () => {
  it("hands replicas the builder's brokers when MLRUN_WRAPPER_KAFKA_BROKERS is unset", () => {
    expect(replicaCredential(builder)).toEqual({
      brokers: '127.0.0.1:9092',
      username: `model-iris.${GENERATION}`,
      password: modelPasswordOf(builder.MLRUN_KAFKA_MODEL_SECRET, 'iris', GENERATION),
    });
  });

  it('hands replicas MLRUN_WRAPPER_KAFKA_BROKERS when set, the builder keeping its own', () => {
    const env = { ...builder, MLRUN_WRAPPER_KAFKA_BROKERS: '10.213.0.1:9092,10.213.0.2:9092' };
    expect(replicaCredential(env).brokers).toBe('10.213.0.1:9092,10.213.0.2:9092');
    expect(modelPrincipalsOptionsOf(loadConfig(modelPrincipalsConfigShape, env))?.brokers).toEqual([
      '127.0.0.1:9092',
    ]);
  });

  it('refuses a MLRUN_WRAPPER_KAFKA_BROKERS that is not a host:port list, naming it', () => {
    expect(() =>
      loadConfig(modelPrincipalsConfigShape, {
        ...builder,
        MLRUN_WRAPPER_KAFKA_BROKERS: 'http://x',
      }),
    ).toThrow(/MLRUN_WRAPPER_KAFKA_BROKERS/);
  });
});

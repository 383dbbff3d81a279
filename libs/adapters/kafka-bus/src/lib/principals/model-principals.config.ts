import { ConfigError, optionalSecretVar, stringVar, type ConfigOf } from '@ml-run/config';

import { kafkaBrokersOf, kafkaConfigShape } from '../kafka-bus.config';
import { kafkaPredictionConfigShape } from '../predictions/kafka-prediction-transport';
import { KafkaModelPrincipals, type KafkaModelPrincipalsOptions } from './kafka-model-principals';

/**
 * The builder's settings for per-model Kafka principals. The admin principal needs Alter
 * on the cluster (SCRAM users, ACLs): only the builder holds it, never a router or a replica.
 */
export const modelPrincipalsConfigShape = {
  MLRUN_KAFKA_BROKERS: kafkaConfigShape.MLRUN_KAFKA_BROKERS,
  /**
   * Kafka as model replicas reach it; default MLRUN_KAFKA_BROKERS. Pods (the openshift
   * target) cannot reach the host's 127.0.0.1: give the brokers' Service or node address.
   */
  MLRUN_WRAPPER_KAFKA_BROKERS: kafkaConfigShape.MLRUN_KAFKA_BROKERS,
  MLRUN_KAFKA_ADMIN_USERNAME: stringVar().optional(),
  MLRUN_KAFKA_ADMIN_PASSWORD: optionalSecretVar(),
  // Each model's Kafka password is HMAC-SHA256(this, name): derivable, never stored.
  MLRUN_KAFKA_MODEL_SECRET: optionalSecretVar({ minLength: 32 }),
  MLRUN_KAFKA_PREDICTION_PARTITIONS: kafkaPredictionConfigShape.MLRUN_KAFKA_PREDICTION_PARTITIONS,
};

export type ModelPrincipalsConfig = ConfigOf<typeof modelPrincipalsConfigShape>;

/**
 * KafkaModelPrincipals when Kafka, the admin principal and the model secret are all set;
 * undefined when none of the three is (replicas then get no Kafka access). Some but not
 * all fails start: it is a typo, not a choice.
 */
export function modelPrincipalsOf(config: ModelPrincipalsConfig): KafkaModelPrincipals | undefined {
  const options = modelPrincipalsOptionsOf(config);
  return options && new KafkaModelPrincipals(options);
}

/** The options modelPrincipalsOf builds its KafkaModelPrincipals with (same rules). */
export function modelPrincipalsOptionsOf(
  config: ModelPrincipalsConfig,
): KafkaModelPrincipalsOptions | undefined {
  const brokers = kafkaBrokersOf(config);
  const username = config.MLRUN_KAFKA_ADMIN_USERNAME;
  const password = config.MLRUN_KAFKA_ADMIN_PASSWORD;
  const modelSecret = config.MLRUN_KAFKA_MODEL_SECRET;
  const given = { username, password, modelSecret };
  if (Object.values(given).every((value) => value === undefined)) return undefined;
  if (!brokers || !username || !password || !modelSecret) {
    throw new ConfigError([
      {
        variable: 'MLRUN_KAFKA_MODEL_SECRET',
        message:
          'per-model Kafka principals need MLRUN_KAFKA_BROKERS, MLRUN_KAFKA_ADMIN_USERNAME, MLRUN_KAFKA_ADMIN_PASSWORD and MLRUN_KAFKA_MODEL_SECRET together',
      },
    ]);
  }
  const replicaBrokers = kafkaBrokersOf({
    MLRUN_KAFKA_BROKERS: config.MLRUN_WRAPPER_KAFKA_BROKERS,
  });
  return {
    brokers,
    clientId: 'ml-run.builder.principals',
    sasl: { mechanism: 'scram-sha-512', username, password },
    modelSecret,
    numPartitions: config.MLRUN_KAFKA_PREDICTION_PARTITIONS,
    ...(replicaBrokers && { replicaBrokers }),
  };
}

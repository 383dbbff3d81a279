import { hostname } from 'node:os';
import type { SASLOptions } from 'kafkajs';

import {
  ConfigError,
  enumVar,
  hostPortListVar,
  intVar,
  optionalSecretVar,
  splitHostPortList,
  stringVar,
  type ConfigOf,
} from '@ml-run/config';

/** SASL mechanisms the bus can speak; the platform's broker (tools/services/kafka) takes SCRAM-SHA-512. */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

/** Variables of apps that can run on Kafka; MLRUN_KAFKA_BROKERS unset means the in-process bus. */
export const kafkaConfigShape = {
  MLRUN_KAFKA_BROKERS: hostPortListVar({ example: 'kafka-0:9092,kafka-1:9092' }).optional(),
  MLRUN_KAFKA_PUBLISH_TIMEOUT_MS: intVar({ min: 100, max: 600_000, default: 30_000 }),
  // The platform's principal on the broker: only it may produce to or consume from ml-run.*
  // topics. Unset: connect without SASL (a broker that takes anonymous clients).
  MLRUN_KAFKA_USERNAME: stringVar().optional(),
  MLRUN_KAFKA_PASSWORD: optionalSecretVar(),
  MLRUN_KAFKA_SASL_MECHANISM: enumVar(KAFKA_SASL_MECHANISMS, 'scram-sha-512'),
};

export type KafkaConfig = ConfigOf<typeof kafkaConfigShape>;

/** The broker list, or undefined when Kafka is not configured (embedded, in-process bus). */
export function kafkaBrokersOf(config: { MLRUN_KAFKA_BROKERS?: string }): string[] | undefined {
  const value = config.MLRUN_KAFKA_BROKERS;
  return value === undefined ? undefined : splitHostPortList(value);
}

/**
 * kafkajs's SASL settings, or undefined when no username is set. A username without a
 * password (or the reverse) fails start: half a credential is a typo, not a choice.
 */
export function kafkaSaslOf(
  config: Pick<
    KafkaConfig,
    'MLRUN_KAFKA_USERNAME' | 'MLRUN_KAFKA_PASSWORD' | 'MLRUN_KAFKA_SASL_MECHANISM'
  >,
): SASLOptions | undefined {
  const username = config.MLRUN_KAFKA_USERNAME;
  const password = config.MLRUN_KAFKA_PASSWORD;
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined || password === undefined) {
    const missing = username === undefined ? 'MLRUN_KAFKA_USERNAME' : 'MLRUN_KAFKA_PASSWORD';
    throw new ConfigError([
      {
        variable: missing,
        message: 'must be set together with MLRUN_KAFKA_USERNAME and MLRUN_KAFKA_PASSWORD',
      },
    ]);
  }
  return { mechanism: config.MLRUN_KAFKA_SASL_MECHANISM, username, password };
}

// Every router and validator replica must see every event, so each one consumes in its
// own group; host and pid tell the groups apart in Kafka's tooling.
export function perInstanceGroupId(service: string): string {
  return `ml-run.${service}.${hostname()}-${process.pid}`;
}

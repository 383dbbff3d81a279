import { hostname } from 'node:os';

import { hostPortListVar, intVar, splitHostPortList, type ConfigOf } from '@ml-run/config';

/** Variables of apps that can run on Kafka; MLRUN_KAFKA_BROKERS unset means the in-process bus. */
export const kafkaConfigShape = {
  MLRUN_KAFKA_BROKERS: hostPortListVar({ example: 'kafka-0:9092,kafka-1:9092' }).optional(),
  MLRUN_KAFKA_PUBLISH_TIMEOUT_MS: intVar({ min: 100, max: 600_000, default: 30_000 }),
};

export type KafkaConfig = ConfigOf<typeof kafkaConfigShape>;

/** The broker list, or undefined when Kafka is not configured (embedded, in-process bus). */
export function kafkaBrokersOf(config: { MLRUN_KAFKA_BROKERS?: string }): string[] | undefined {
  const value = config.MLRUN_KAFKA_BROKERS;
  return value === undefined ? undefined : splitHostPortList(value);
}

// Every router and validator replica must see every event, so each one consumes in its
// own group; host and pid tell the groups apart in Kafka's tooling.
export function perInstanceGroupId(service: string): string {
  return `ml-run.${service}.${hostname()}-${process.pid}`;
}

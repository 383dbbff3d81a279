import { hostname } from 'node:os';

import { intVar, stringVar, type ConfigOf } from '@ml-run/config';

const BROKER = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:(\d{1,5})$/;
const BROKERS_HINT = 'must be a comma-separated list of host:port, e.g. kafka-0:9092,kafka-1:9092';

function isBrokerList(value: string): boolean {
  return splitBrokers(value).every((broker) => {
    const port = Number(BROKER.exec(broker)?.[2] ?? 0);
    return port >= 1 && port <= 65535;
  });
}

function splitBrokers(value: string): string[] {
  return value.split(',').map((broker) => broker.trim());
}

/** Variables of apps that can run on Kafka; MLRUN_KAFKA_BROKERS unset means the in-process bus. */
export const kafkaConfigShape = {
  MLRUN_KAFKA_BROKERS: stringVar().refine(isBrokerList, BROKERS_HINT).optional(),
  MLRUN_KAFKA_PUBLISH_TIMEOUT_MS: intVar({ min: 100, max: 600_000, default: 30_000 }),
};

export type KafkaConfig = ConfigOf<typeof kafkaConfigShape>;

/** The broker list, or undefined when Kafka is not configured (embedded, in-process bus). */
export function kafkaBrokersOf(config: { MLRUN_KAFKA_BROKERS?: string }): string[] | undefined {
  const value = config.MLRUN_KAFKA_BROKERS;
  return value === undefined ? undefined : splitBrokers(value);
}

// Every router and validator replica must see every event, so each one consumes in its
// own group; host and pid tell the groups apart in Kafka's tooling.
export function perInstanceGroupId(service: string): string {
  return `ml-run.${service}.${hostname()}-${process.pid}`;
}

import { intVar, type ConfigOf } from '@ml-run/config';

import { kafkaBrokersOf, kafkaConfigShape, kafkaSaslOf } from '../kafka-bus.config';
import { KafkaPredictionOutcomeFeed } from './kafka-prediction-outcome-feed';
import { KafkaPredictionQueue } from './kafka-prediction-queue';

/** A router's settings for asynchronous predictions on Kafka (the platform's principal). */
export const kafkaPredictionConfigShape = {
  ...kafkaConfigShape,
  /** Partitions of each model's request and outcome topics, where this process creates them. */
  MLRUN_KAFKA_PREDICTION_PARTITIONS: intVar({ min: 1, max: 1000, default: 3 }),
};

export type KafkaPredictionConfig = ConfigOf<typeof kafkaPredictionConfigShape>;

/** What a router puts requests on and hears outcomes from; close both on shutdown. */
export type KafkaPredictionTransport = {
  queue: KafkaPredictionQueue;
  outcomes: KafkaPredictionOutcomeFeed;
};

/** The queue and the outcome feed when MLRUN_KAFKA_BROKERS is set, undefined otherwise. */
export function kafkaPredictionTransportOf(
  config: KafkaPredictionConfig,
  service: string,
): KafkaPredictionTransport | undefined {
  const brokers = kafkaBrokersOf(config);
  if (!brokers) return undefined;
  const sasl = kafkaSaslOf(config);
  const connection = { brokers, clientId: `ml-run.${service}`, ...(sasl && { sasl }) };
  return {
    queue: new KafkaPredictionQueue({
      ...connection,
      numPartitions: config.MLRUN_KAFKA_PREDICTION_PARTITIONS,
    }),
    outcomes: new KafkaPredictionOutcomeFeed(connection),
  };
}

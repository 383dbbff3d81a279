import type { Logger } from '@nestjs/common';
import { Kafka, logLevel, type RetryOptions, type SASLOptions } from 'kafkajs';

import { nestLogCreator } from '../kafka-log-creator';

/** Where a Kafka client connects, and as whom. */
export type KafkaConnection = {
  /** Bootstrap brokers as host:port. */
  brokers: string[];
  clientId: string;
  /** SASL credentials (SASL_PLAINTEXT); none: an anonymous client. */
  sasl?: SASLOptions;
};

// Few, short retries per request (as the event bus): the consumers restart themselves and
// the callers of enqueue() decide what a failure means. Explicit, since kafkajs picks
// other defaults when NODE_ENV=test.
export const PREDICTION_KAFKAJS_RETRY: RetryOptions = {
  initialRetryTime: 200,
  maxRetryTime: 2000,
  retries: 5,
  factor: 0.2,
  multiplier: 2,
};

export function kafkaClientOf(connection: KafkaConnection, logger: Logger): Kafka {
  const { brokers, clientId, sasl } = connection;
  return new Kafka({
    clientId,
    brokers,
    // A copy: kafkajs caches an authenticationProvider, holding the password, on the
    // object it is given.
    ...(sasl && { sasl: { ...sasl } }),
    connectionTimeout: 3000,
    retry: PREDICTION_KAFKAJS_RETRY,
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator(logger),
  });
}

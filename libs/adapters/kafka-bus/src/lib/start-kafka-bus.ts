import {
  kafkaBrokersOf,
  kafkaSaslOf,
  perInstanceGroupId,
  type KafkaConfig,
} from './kafka-bus.config';
import { KafkaEventBus } from './kafka-event-bus';

export type StartKafkaBusOptions = {
  /** Names the client and the per-instance consumer group, e.g. 'router'. */
  service: string;
  /** Topics this process consumes; empty for services that only publish. */
  topics: readonly string[];
};

/**
 * How an app gets its bus: a started KafkaEventBus when MLRUN_KAFKA_BROKERS is set,
 * undefined otherwise (the app then uses the in-process bus). Close it on shutdown.
 */
export async function startKafkaBus(
  config: KafkaConfig,
  options: StartKafkaBusOptions,
): Promise<KafkaEventBus | undefined> {
  const brokers = kafkaBrokersOf(config);
  if (!brokers) return undefined;
  const sasl = kafkaSaslOf(config);
  const bus = new KafkaEventBus({
    brokers,
    clientId: `ml-run.${options.service}`,
    groupId: perInstanceGroupId(options.service),
    topics: options.topics,
    publishTimeoutMs: config.MLRUN_KAFKA_PUBLISH_TIMEOUT_MS,
    ...(sasl && { sasl }),
  });
  await bus.start();
  return bus;
}

export { KafkaEventBus, type KafkaEventBusOptions } from './lib/kafka-event-bus';
export { KafkaBusError, KafkaBusErrorCode } from './lib/kafka-bus.errors';
export { kafkaConfigShape, type KafkaConfig } from './lib/kafka-bus.config';
export { startKafkaBus, type StartKafkaBusOptions } from './lib/start-kafka-bus';

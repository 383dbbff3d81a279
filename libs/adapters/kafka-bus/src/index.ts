export { KafkaEventBus, type KafkaEventBusOptions } from './lib/kafka-event-bus';
export { KafkaBusError, KafkaBusErrorCode } from './lib/kafka-bus.errors';
export { kafkaConfigShape, type KafkaConfig } from './lib/kafka-bus.config';
export { startKafkaBus, type StartKafkaBusOptions } from './lib/start-kafka-bus';
export { type KafkaConnection } from './lib/predictions/kafka-client';
export { type TopicMessage } from './lib/predictions/batching-sender';
export {
  KafkaPredictionQueue,
  type KafkaPredictionQueueOptions,
} from './lib/predictions/kafka-prediction-queue';
export {
  KafkaPredictionOutcomeFeed,
  ROUTER_OUTCOMES_GROUP,
  type KafkaPredictionOutcomeFeedOptions,
} from './lib/predictions/kafka-prediction-outcome-feed';
export {
  KafkaWorkConsumer,
  type KafkaWorkConsumerOptions,
  type WorkConsumerStats,
  type WorkHandler,
  type WorkItem,
} from './lib/predictions/kafka-work-consumer';
export {
  decodeOutcome,
  decodeRequest,
  outcomeMessageOf,
  requestMessageOf,
} from './lib/predictions/prediction-codec';
export {
  KafkaModelPrincipals,
  modelKafkaCredentialOf,
  modelPasswordOf,
  modelUsernameOf,
  type KafkaModelPrincipalsOptions,
  type ModelKafkaCredential,
} from './lib/principals/kafka-model-principals';
export {
  modelPrincipalsConfigShape,
  modelPrincipalsOf,
  modelPrincipalsOptionsOf,
  type ModelPrincipalsConfig,
} from './lib/principals/model-principals.config';
export {
  kafkaPredictionConfigShape,
  kafkaPredictionTransportOf,
  type KafkaPredictionConfig,
  type KafkaPredictionTransport,
} from './lib/predictions/kafka-prediction-transport';

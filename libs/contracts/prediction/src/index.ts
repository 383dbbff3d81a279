export {
  ASYNC_PREDICT_PATH,
  PREDICTION_PATH,
  PREDICTION_STATUSES,
  predictionViewOf,
  type AsyncPredictAccepted,
  type PredictionCallback,
  type PredictionError,
  type PredictionOutcome,
  type PredictionRecord,
  type PredictionRequest,
  type PredictionStatus,
  type PredictionView,
} from './lib/prediction.dto';
export type {
  AsyncPredictionAdapters,
  PredictionOutcomeFeed,
  PredictionQueue,
  PredictionResults,
  SettleResult,
} from './lib/prediction.ports';
export {
  isStreamTopicOf,
  modelPrincipalOf,
  PREDICTION_OUTCOME_TOPIC_PATTERN,
  predictionGroupOf,
  predictionOutcomeTopicOf,
  predictionRequestTopicOf,
  streamTopicPrefixOf,
} from './lib/prediction-topics';

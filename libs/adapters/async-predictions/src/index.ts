export { MemoryPredictionResults } from './lib/memory-prediction-results';
export {
  MemoryPredictionBus,
  PredictionQueueFullError,
  type PredictionDeliveries,
  type PredictionDelivery,
} from './lib/memory-prediction-bus';
export {
  PredictionDispatcher,
  type PredictionDispatcherOptions,
  type PredictionRun,
  type PredictionRunner,
} from './lib/prediction-dispatcher';
export {
  IgnitePredictionResults,
  PREDICTIONS_CACHE,
  type IgnitePredictionResultsOptions,
} from './lib/ignite-prediction-results';

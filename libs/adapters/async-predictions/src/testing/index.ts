export {
  outcomeFor,
  pendingRecord,
  predictionResultsContract,
  type PredictionResultsBacking,
} from './prediction-results-contract-suite';

export {
  capacityParametersSchema,
  parseCapacityParameters,
  type CapacityParameters,
} from './capacity-parameters';
export {
  analyzeMlrun,
  MLRUN_STATIONS,
  mlrunNetwork,
  mlrunProbabilities,
  solveMlrun,
  type MlrunProbabilities,
  type MlrunSolution,
  type MlrunStation,
} from './mlrun-network';
export {
  DEFAULT_MLRUN_PARAMETERS,
  type MlrunParameters,
  type MlrunServers,
  type MlrunServiceRates,
} from './mlrun-parameters';
export { MAX_SERVERS, recommend, type Recommendation, type RecommendTarget } from './recommend';
export { predictRateVsStale, tokenRateVsLifetime, utilizationSeries, type Series } from './series';
export {
  l1MissProbability,
  staleProbability,
  type MissInputs,
  type StaleInputs,
} from './token-probabilities';

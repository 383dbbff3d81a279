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
  DEFAULT_ISSUER_RATE,
  DEFAULT_MLRUN_PARAMETERS,
  type MlrunParameters,
  type StaleRequests,
  type MlrunServers,
  type MlrunServiceRates,
} from './mlrun-parameters';
export { MAX_SERVERS, recommend, type Recommendation, type RecommendTarget } from './recommend';
export {
  loginRateVsTokenLifetime,
  predictRateVsStale,
  utilizationSeries,
  validatorRateVsLifetime,
  type Series,
  type TokenLifetimeMode,
} from './series';
export {
  l1MissProbability,
  staleProbability,
  type MissInputs,
  type StaleInputs,
} from './token-probabilities';

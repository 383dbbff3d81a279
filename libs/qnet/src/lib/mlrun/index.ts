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
  fig5Series,
  FIG6_L1_LIFETIMES_SECONDS,
  fig6Series,
  FIG6_WRAPPERS,
  LOGIN_LIFETIMES_SECONDS,
  loginRateVsTokenLifetime,
  predictRateVsStale,
  pStaleRange,
  utilizationSeries,
  validatorRateVsLifetime,
  type Series,
  type TokenLifetimeMode,
} from './series';
export { formatMs, formatPercent, formatProbability, formatRate, plusMinus } from './report-units';
export {
  l1MissProbability,
  staleProbability,
  type MissInputs,
  type StaleInputs,
} from './token-probabilities';

export type { OpenNetwork, QnetErrorCode, Station } from './lib/network';
export { QnetError } from './lib/network';
export {
  createRng,
  exponential,
  laplaceQuantile,
  meanInterval,
  replicate,
  replicationSeed,
  requiredRuns,
  requiredSamples,
  simulate,
  studentQuantile,
} from './lib/simulation';
export type {
  Estimate,
  MeanInterval,
  Percentiles,
  ReplicatedResult,
  ReplicationOptions,
  ServiceTimeDistribution,
  SimulationOptions,
  SimulationRun,
  StationEstimates,
  StationStats,
} from './lib/simulation';
export * from './lib/analytic';
export * from './lib/mlrun';

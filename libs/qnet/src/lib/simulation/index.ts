export { replicate } from './replicate';
export type { ReplicatedResult, ReplicationOptions, StationEstimates } from './replicate';
export { laplaceQuantile, requiredRuns } from './replication-rule';
export { createRng, exponential, replicationSeed } from './rng';
export type { ServiceTimeDistribution } from './service-time';
export { simulate } from './simulate';
export type { Percentiles, SimulationOptions, SimulationRun, StationStats } from './simulate';
export type { Estimate } from './statistics';

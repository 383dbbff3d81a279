export { erlangB, erlangC } from './erlang';
export { mmc, mmcMetrics, type QueueMetrics } from './mmc';
export {
  analyzeNetwork,
  solveNetwork,
  type NetworkSolution,
  type StationSolution,
} from './solve-network';
export { sojournQuantile, stationMetrics } from './station-metrics';
export { trafficRates } from './traffic-rates';
export { validateNetwork } from './validate-network';

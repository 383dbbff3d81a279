import {
  analyzeMlrun,
  mlrunNetwork,
  recommend,
  replicate,
  type MlrunParameters,
  type MlrunSolution,
  type NetworkSolution,
  type Recommendation,
  type ReplicatedResult,
} from '@ml-run/qnet';

import type { CapacityOptions } from './capacity-options';

/** Everything `ml-run capacity` prints, as text or JSON. */
export type CapacityReport = {
  parameters: MlrunParameters;
  /** Whether p_stale and p_miss were derived (not given). */
  derived: { pStale: boolean; pMiss: boolean };
  analysis: MlrunSolution;
  /** Stations at ρ ≥ 1, busiest first. */
  overloaded: { station: string; utilization: number }[];
  target: { rate: number; maxUtilization: number; maxLatencySeconds?: number };
  recommendation: Recommendation & { maxUtilization: number };
  simulation?: SimulationOutcome;
};

export type SimulationOutcome =
  | { ran: true; durationSeconds: number; seed: number; result: ReplicatedResult }
  | { ran: false; reason: string };

// A run long enough for this many external arrivals (10 % of it is warmup).
const SIMULATED_ARRIVALS = 20_000;
const SIMULATION_MAX_RUNS = 30;

export function capacityReport(p: MlrunParameters, options: CapacityOptions): CapacityReport {
  const analysis = analyzeMlrun(p);
  const overloaded = analysis.stations
    .filter((s) => s.utilization >= 1)
    .sort((a, b) => b.utilization - a.utilization)
    .map((s) => ({ station: s.name, utilization: s.utilization }));
  const target = {
    rate: p.rate,
    maxUtilization: options.targetUtilization,
    ...(options.maxLatencyMs === undefined
      ? {}
      : { maxLatencySeconds: options.maxLatencyMs / 1000 }),
  };
  const recommendation = recommend(p, target);
  return {
    parameters: p,
    derived: { pStale: p.pStale === undefined, pMiss: p.pMiss === undefined },
    analysis,
    overloaded,
    target,
    recommendation: { ...recommendation, maxUtilization: maxUtilization(recommendation.solution) },
    ...(options.simulate ? { simulation: simulation(p, overloaded.length > 0, options) } : {}),
  };
}

const maxUtilization = (solution: NetworkSolution) =>
  Math.max(...solution.stations.map((s) => s.utilization));

function simulation(
  p: MlrunParameters,
  overloaded: boolean,
  options: CapacityOptions,
): SimulationOutcome {
  if (overloaded) {
    return {
      ran: false,
      reason: 'the network is overloaded: queues grow without bound, no steady state to simulate',
    };
  }
  const durationSeconds = options.simSeconds ?? SIMULATED_ARRIVALS / p.rate;
  const result = replicate(mlrunNetwork(p), {
    seed: options.seed,
    durationSeconds,
    maxRuns: SIMULATION_MAX_RUNS,
  });
  return { ran: true, durationSeconds, seed: options.seed, result };
}

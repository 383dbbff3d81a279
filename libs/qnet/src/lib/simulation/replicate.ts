import { OpenNetwork } from '../network';
import { requiredRuns } from './replication-rule';
import { replicationSeed } from './rng';
import { simulate, SimulationOptions, SimulationRun } from './simulate';
import { invalidSimulationOption } from './simulation-errors';
import { Estimate, estimate, summarize } from './statistics';
import { assertConfidence } from './student-t';

export type ReplicationOptions = SimulationOptions & {
  /** Confidence level of the intervals and of the stopping rule; default 0.95. */
  confidence?: number;
  /** δ as a fraction of the estimated mean (of each stopping measure); default 0.02. */
  relativePrecision?: number;
  /** Runs made before the rule is first applied; default 5, at least 2. */
  minRuns?: number;
  /** Runs made at most, converged or not; default 100. */
  maxRuns?: number;
  /**
   * Also hold every station's mean sojourn to the rule, not only the end-to-end mean
   * response time (default false). A rarely visited station (the issuer sees a few
   * logins a second) can then ask for thousands of runs.
   */
  stationsToPrecision?: boolean;
};

export type StationEstimates = {
  name: string;
  arrivalRate: Estimate;
  utilization: Estimate;
  meanSojourn: Estimate;
  p50: Estimate;
  p90: Estimate;
  p99: Estimate;
};

export type ReplicatedResult = {
  runs: number;
  /** n from the rule n ≥ t²S²/δ² after the last run: the largest over the stopping measures. */
  requiredRuns: number;
  /** Whether runs ≥ requiredRuns (false when maxRuns stopped the replication). */
  converged: boolean;
  confidence: number;
  meanResponseTime: Estimate;
  stations: StationEstimates[];
};

type ReplicationSettings = {
  confidence: number;
  relativePrecision: number;
  minRuns: number;
  maxRuns: number;
  stationsToPrecision: boolean;
};

/**
 * Independent replications (seeds derived from `options.seed`) until the paper's rule
 * n ≥ t²·S²/δ² (Student's t, n − 1 degrees of freedom) holds for the end-to-end mean response time (and, with
 * stationsToPrecision, every station's mean sojourn), with δ = relativePrecision × mean,
 * or until maxRuns. Every measure gets its interval either way.
 *
 * @example
 * const result = replicate(network, { seed: 1, durationSeconds: 200, relativePrecision: 0.01 });
 * const { mean, low, high } = result.meanResponseTime; // 95% interval [low, high]
 */
export function replicate(net: OpenNetwork, options: ReplicationOptions): ReplicatedResult {
  const settings = replicationSettings(options);
  const runs: SimulationRun[] = [];
  let required = NaN;
  while (runs.length < settings.maxRuns) {
    runs.push(simulate(net, { ...options, seed: replicationSeed(options.seed, runs.length) }));
    if (runs.length < settings.minRuns) continue;
    required = requiredRunCount(runs, settings);
    if (runs.length >= required) break;
  }
  return summarizeRuns(runs, required, settings);
}

function replicationSettings(options: ReplicationOptions): ReplicationSettings {
  const settings = {
    confidence: options.confidence ?? 0.95,
    relativePrecision: options.relativePrecision ?? 0.02,
    minRuns: options.minRuns ?? 5,
    maxRuns: options.maxRuns ?? 100,
    stationsToPrecision: options.stationsToPrecision ?? false,
  };
  assertConfidence(settings.confidence);
  if (!(settings.relativePrecision > 0) || !Number.isFinite(settings.relativePrecision)) {
    throw invalidSimulationOption(
      `relativePrecision must be finite and > 0, got ${settings.relativePrecision}`,
    );
  }
  if (!Number.isInteger(settings.minRuns) || settings.minRuns < 2) {
    throw invalidSimulationOption(`minRuns must be an integer >= 2, got ${settings.minRuns}`);
  }
  if (!Number.isInteger(settings.maxRuns) || settings.maxRuns < settings.minRuns) {
    throw invalidSimulationOption(
      `maxRuns must be an integer >= minRuns (${settings.minRuns}), got ${settings.maxRuns}`,
    );
  }
  return settings;
}

// The largest n the rule asks for over the stopping measures; a measure without two
// finite values or with a zero mean cannot be judged and is skipped.
function requiredRunCount(runs: readonly SimulationRun[], settings: ReplicationSettings): number {
  const stations = settings.stationsToPrecision ? runs[0].stations : [];
  const measures = [
    runs.map((run) => run.meanResponseTime),
    ...stations.map((_, index) => runs.map((run) => run.stations[index].meanSojourn)),
  ];
  let required = 0;
  for (const values of measures) {
    const { mean, stdDev, count } = summarize(values);
    const precision = settings.relativePrecision * Math.abs(mean);
    if (count < 2 || !(precision > 0)) continue;
    required = Math.max(required, requiredRuns(stdDev, precision, settings.confidence));
  }
  return required;
}

function summarizeRuns(
  runs: readonly SimulationRun[],
  required: number,
  settings: ReplicationSettings,
): ReplicatedResult {
  const of = (pick: (run: SimulationRun) => number): Estimate =>
    estimate(runs.map(pick), settings.confidence);
  return {
    runs: runs.length,
    requiredRuns: required,
    converged: runs.length >= required,
    confidence: settings.confidence,
    meanResponseTime: of((run) => run.meanResponseTime),
    stations: runs[0].stations.map(({ name }, i) => ({
      name,
      arrivalRate: of((run) => run.stations[i].arrivalRate),
      utilization: of((run) => run.stations[i].utilization),
      meanSojourn: of((run) => run.stations[i].meanSojourn),
      p50: of((run) => run.stations[i].sojournPercentiles.p50),
      p90: of((run) => run.stations[i].sojournPercentiles.p90),
      p99: of((run) => run.stations[i].sojournPercentiles.p99),
    })),
  };
}

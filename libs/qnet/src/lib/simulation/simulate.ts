import { OpenNetwork } from '../network';
import { compileNetwork } from './compile-network';
import { LogHistogram } from './log-histogram';
import { createRng } from './rng';
import { ServiceTimeDistribution } from './service-time';
import { SimulationEngine } from './simulation-engine';
import { invalidSimulationOption } from './simulation-errors';
import { StationState } from './station-state';

export type SimulationOptions = {
  seed: number;
  /** Simulated time in seconds, warmup included. */
  durationSeconds: number;
  /** Statistics only count after this; default 10% of durationSeconds. */
  warmupSeconds?: number;
  /**
   * By station name; stations not listed have exponential service at their serviceRate.
   * An empirical distribution replaces the station's serviceRate (which is then ignored).
   */
  serviceTimes?: Readonly<Record<string, ServiceTimeDistribution>>;
};

export type Percentiles = { p50: number; p90: number; p99: number };

/** Per-station statistics over the measured window; NaN where no job was measured. */
export type StationStats = {
  name: string;
  /** Arrivals (external and routed) per second. */
  arrivalRate: number;
  /** Service completions per second. */
  throughput: number;
  /** Busy-server time / (servers × measured seconds). */
  utilization: number;
  /** Mean time in the queue before service, per visit. */
  meanWait: number;
  /** Mean time at the station (wait + service), per visit. */
  meanSojourn: number;
  sojournPercentiles: Percentiles;
  /** Visits whose sojourn was measured (arrived after warmup, finished by the end). */
  completed: number;
};

export type SimulationRun = {
  /** Length of the measured window: durationSeconds − warmupSeconds. */
  simulatedSeconds: number;
  /** Jobs that entered after the warmup and left the network by the end. */
  jobsCompleted: number;
  stations: StationStats[];
  /** Mean end-to-end time in the network of those jobs. */
  meanResponseTime: number;
  responsePercentiles: Percentiles;
  /** Events the loop processed (external arrivals and service completions), warmup included. */
  eventsProcessed: number;
};

/**
 * Discrete-event simulation of an open network: Poisson external arrivals, a FIFO queue
 * with c servers per station, Markov routing (the rest of a routing row exits).
 * Deterministic for a given seed. Throws QnetError for an invalid network or options.
 *
 * @example
 * const run = simulate(
 *   { stations: [{ name: 'a', servers: 1, serviceRate: 10 }], arrivals: { a: 5 }, routing: {} },
 *   { seed: 1, durationSeconds: 1_000 },
 * );
 * run.stations[0].meanSojourn; // ≈ 1 / (10 − 5) = 0.2 s
 */
export function simulate(net: OpenNetwork, options: SimulationOptions): SimulationRun {
  const warmup = checkOptions(options);
  const stations = compileNetwork(net, options.serviceTimes);
  const engine = new SimulationEngine(
    stations,
    createRng(options.seed),
    warmup,
    options.durationSeconds,
  );
  engine.run();
  const measured = options.durationSeconds - warmup;
  return {
    simulatedSeconds: measured,
    jobsCompleted: engine.responses.count,
    stations: stations.map((station) => stationStats(station, measured)),
    meanResponseTime: meanOf(engine.responseSum, engine.responses.count),
    responsePercentiles: percentilesOf(engine.responses),
    eventsProcessed: engine.eventsProcessed,
  };
}

/** Validates the run options and returns the warmup in seconds. */
function checkOptions(options: SimulationOptions): number {
  const { durationSeconds } = options;
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw invalidSimulationOption(`durationSeconds must be > 0, got ${durationSeconds}`);
  }
  const warmup = options.warmupSeconds ?? durationSeconds / 10;
  if (!Number.isFinite(warmup) || warmup < 0 || warmup >= durationSeconds) {
    throw invalidSimulationOption(
      `warmupSeconds must lie in [0, durationSeconds = ${durationSeconds}), got ${warmup}`,
    );
  }
  return warmup;
}

function stationStats(station: StationState, measured: number): StationStats {
  return {
    name: station.name,
    arrivalRate: station.arrivals / measured,
    throughput: station.completions / measured,
    utilization: station.busyServerSeconds / (station.servers * measured),
    meanWait: meanOf(station.waitSum, station.waits),
    meanSojourn: meanOf(station.sojournSum, station.sojourns.count),
    sojournPercentiles: percentilesOf(station.sojourns),
    completed: station.sojourns.count,
  };
}

function meanOf(sum: number, count: number): number {
  return count > 0 ? sum / count : NaN;
}

function percentilesOf(histogram: LogHistogram): Percentiles {
  return {
    p50: histogram.quantile(0.5),
    p90: histogram.quantile(0.9),
    p99: histogram.quantile(0.99),
  };
}

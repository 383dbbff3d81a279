// The validation's arithmetic apart from running anything: what to count per station,
// rates over a window, the model's prediction for a workload, and the acceptance test.
import {
  meanInterval,
  mlrunNetwork,
  replicationSeed,
  simulate,
  solveMlrun,
  type MeanInterval,
  type MlrunParameters,
  type MlrunServiceRates,
} from '@ml-run/qnet';

import { ratePerSecond, type MetricSeries } from '../loadgen';
import { type CalibratedStation } from './calibration-math';

export const STATIONS: readonly CalibratedStation[] = [
  'router',
  'token-check',
  'validator',
  'issuer',
  'predict',
];

/** A service counter whose increase is one arrival at a station. */
export type StationCounter = { target: string; metric: string | RegExp };

/**
 * Where each station's arrivals are counted, for a stack with K wrappers: the router's
 * requests, the wrappers' L1 lookups (one per token check, hit or miss), the validator's
 * introspections, the issuer's logins (issued or refused), the wrappers' answered predictions.
 */
export function stationCounters(wrappers: number): Record<CalibratedStation, StationCounter[]> {
  const each = (metric: string | RegExp) =>
    Array.from({ length: wrappers }, (_, i) => ({ target: `wrapper-${i + 1}`, metric }));
  return {
    router: [{ target: 'router', metric: 'mlrun_router_requests_total' }],
    'token-check': each('mlrun_auth_l1_lookups_total'),
    validator: [{ target: 'validator', metric: 'mlrun_introspections_total' }],
    issuer: [
      { target: 'plane', metric: 'mlrun_tokens_issued_total' },
      { target: 'plane', metric: /^mlrun_logins_failed_total\{.*reason="credentials"/ },
    ],
    predict: each(/^mlrun_predictions_total\{.*status="200"/),
  };
}

/**
 * Per-second arrival rates of one station over [from, to] (seconds since the series
 * started): the counters' per-scrape rates summed at each scrape time. Each second is one
 * sample of the rate; their mean and t interval are the measured rate.
 */
export function windowRates(
  series: MetricSeries,
  counters: readonly StationCounter[],
  from: number,
  to: number,
): number[] {
  const byTime = new Map<number, number>();
  for (const { target, metric } of counters)
    for (const { t, perSecond } of ratePerSecond(series, target, metric))
      if (t > from && t <= to) byTime.set(t, (byTime.get(t) ?? 0) + perSecond);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, rate]) => rate);
}

/** The workload one validation point runs, as the model takes it. */
export type Workload = {
  rate: number;
  clients: number;
  wrappers: number;
  l1TtlSeconds: number;
  tokenLifetimeSeconds: number;
  serviceRates: MlrunServiceRates;
  /** Predict's squared coefficient of variation: 1 exponential, 0 deterministic. */
  predictServiceScv?: number;
};

/**
 * The model's parameters for a workload. p_stale and p_miss are left to the model, which
 * derives them from rate, clients, lifetimes and K: never fitted from the measurement.
 */
export function workloadParameters(w: Workload): MlrunParameters {
  return {
    rate: w.rate,
    clients: w.clients,
    tokenLifetimeSeconds: w.tokenLifetimeSeconds,
    l1TtlSeconds: w.l1TtlSeconds,
    servers: { routers: 1, wrappers: w.wrappers, validators: 1, issuers: 1 },
    serviceRates: w.serviceRates,
    // The generator leaves a request refused for an aged token (after logging in).
    staleRequests: 'leave',
    predictServiceScv: w.predictServiceScv ?? 1,
  };
}

export type AnalyticPrediction = {
  pStale: number;
  pMiss: number;
  /** Seconds: the network's mean response time plus the unqueued path overhead. */
  meanLatency: number;
  rates: Record<CalibratedStation, number>;
};

/** solveMlrun's answer for the workload, latency including the path overhead. */
export function analyticPrediction(w: Workload, overheadSeconds: number): AnalyticPrediction {
  const solution = solveMlrun(workloadParameters(w));
  const rates = Object.fromEntries(
    STATIONS.map((name) => [
      name,
      solution.stations.find((s) => s.name === name)?.arrivalRate ?? 0,
    ]),
  ) as Record<CalibratedStation, number>;
  return {
    pStale: solution.pStale,
    pMiss: solution.pMiss,
    meanLatency: solution.meanResponseTime + overheadSeconds,
    rates,
  };
}

export type SimulatedPrediction = {
  runs: number;
  meanLatency: MeanInterval;
  p99Latency: MeanInterval;
};

/**
 * Independent simulator runs of the workload's network; mean and p99 latency (plus the
 * path overhead) with Student's t intervals over the runs.
 */
export function simulatedPrediction(
  w: Workload,
  overheadSeconds: number,
  options: { runs: number; seconds: number; seed: number },
): SimulatedPrediction {
  const network = mlrunNetwork(workloadParameters(w));
  const means: number[] = [];
  const p99s: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const run = simulate(network, {
      seed: replicationSeed(options.seed, i),
      durationSeconds: options.seconds,
    });
    means.push(run.meanResponseTime + overheadSeconds);
    p99s.push(run.responsePercentiles.p99 + overheadSeconds);
  }
  return { runs: options.runs, meanLatency: meanInterval(means), p99Latency: meanInterval(p99s) };
}

/** |measured − model| / model; null when the model expects nothing to compare with. */
export function relativeError(measured: number, model: number): number | null {
  if (!(model > 0)) return null;
  return Math.abs(measured - model) / model;
}

/** Below this many arrivals per second a station's rate is shown but not judged. */
export const MIN_JUDGED_RATE = 1;

export type Acceptance = {
  /** Every judged station's measured rate within 5% of the model's. */
  rates: boolean;
  /** Mean latency within 15% of the model's; null above ρ 0.7, where it is not required. */
  meanLatency: boolean | null;
  holds: boolean;
  /** Stations whose rate was too low to judge. */
  notJudged: CalibratedStation[];
};

/** The acceptance: rates within 5%, and the mean within 15% at ρ ≤ 0.7. */
export function acceptance(
  utilization: number,
  rateErrors: Record<CalibratedStation, number | null>,
  modelRates: Record<CalibratedStation, number>,
  meanLatencyError: number | null,
): Acceptance {
  const notJudged = STATIONS.filter(
    (name) => !(modelRates[name] >= MIN_JUDGED_RATE) || rateErrors[name] === null,
  );
  const rates = STATIONS.filter((name) => !notJudged.includes(name)).every(
    (name) => (rateErrors[name] ?? Infinity) <= 0.05,
  );
  const meanLatency =
    utilization <= 0.7 + 1e-9 ? meanLatencyError !== null && meanLatencyError <= 0.15 : null;
  return { rates, meanLatency, holds: rates && meanLatency !== false, notJudged };
}

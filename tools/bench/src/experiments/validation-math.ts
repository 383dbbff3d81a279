// The validation's arithmetic apart from running anything: what to count per station,
// rates over a window, the model's prediction for a workload, and the acceptance test.
import {
  meanInterval,
  mlrunNetwork,
  mlrunProbabilities,
  replicationSeed,
  simulate,
  solveMlrun,
  type MeanInterval,
  type MlrunParameters,
  type MlrunServiceRates,
} from '@ml-run/qnet';

import { sumOf, type MetricSeries } from '../loadgen';
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

/** One scrape interval's count at a station: `increase` arrivals in `seconds`. */
export type RateSample = { seconds: number; increase: number };

/**
 * The scrape intervals inside [from, to] (seconds since the series started), each with the
 * station's arrivals summed over its counters (every target is scraped at the same ticks).
 */
export function windowSamples(
  series: MetricSeries,
  counters: readonly StationCounter[],
  from: number,
  to: number,
): RateSample[] {
  const byInterval = new Map<string, RateSample>();
  for (const { target, metric } of counters) {
    const scrapes = series.scrapes[target] ?? [];
    for (let i = 1; i < scrapes.length; i++) {
      const before = scrapes[i - 1];
      const after = scrapes[i];
      if (!before || !after || before.t < from || after.t > to || after.t <= before.t) continue;
      const [was, is] = [sumOf(before.values, metric), sumOf(after.values, metric)];
      const key = `${before.t}-${after.t}`;
      const sample = byInterval.get(key) ?? { seconds: after.t - before.t, increase: 0 };
      sample.increase += is >= was ? is - was : is; // a restarted counter counts from zero
      byInterval.set(key, sample);
    }
  }
  return [...byInterval.values()];
}

/**
 * A rate over scrape intervals: all arrivals over all the time (intervals of unequal length
 * weigh by their length), with the t half-width of the per-interval rates.
 */
export function rateEstimate(samples: readonly RateSample[]): MeanInterval {
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const increase = samples.reduce((sum, s) => sum + s.increase, 0);
  if (!(seconds > 0)) return { mean: 0, halfWidth: Infinity, n: 0 };
  const spread = meanInterval(samples.map((s) => s.increase / s.seconds));
  return { mean: increase / seconds, halfWidth: spread.halfWidth, n: samples.length };
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
  /**
   * Seconds, of the requests that are served (the generator times only 2xx answers): the
   * router, the token check, the validator on an L1 miss, predict; plus the path overhead.
   */
  meanLatency: number;
  /** Of every request, the refused aged ones included (solveMlrun's meanResponseTime). */
  allRequestsMeanLatency: number;
  rates: Record<CalibratedStation, number>;
};

/** A served request's stations: each visited once, the validator on an L1 miss only. */
function servedMean(sojourn: (name: CalibratedStation) => number, pMiss: number): number {
  return (
    sojourn('router') + sojourn('token-check') + pMiss * sojourn('validator') + sojourn('predict')
  );
}

/** solveMlrun's answer for the workload, latency including the path overhead. */
export function analyticPrediction(w: Workload, overheadSeconds: number): AnalyticPrediction {
  const solution = solveMlrun(workloadParameters(w));
  const station = (name: CalibratedStation) => solution.stations.find((s) => s.name === name);
  const rates = Object.fromEntries(
    STATIONS.map((name) => [name, station(name)?.arrivalRate ?? 0]),
  ) as Record<CalibratedStation, number>;
  const sojourn = (name: CalibratedStation) => station(name)?.meanSojourn ?? 0;
  return {
    pStale: solution.pStale,
    pMiss: solution.pMiss,
    meanLatency: servedMean(sojourn, solution.pMiss) + overheadSeconds,
    allRequestsMeanLatency: solution.meanResponseTime + overheadSeconds,
    rates,
  };
}

export type SimulatedPrediction = {
  runs: number;
  /** Of the served requests, as AnalyticPrediction.meanLatency. */
  meanLatency: MeanInterval;
  /** End to end over every request (the simulator does not tell served ones apart). */
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
  const parameters = workloadParameters(w);
  const network = mlrunNetwork(parameters);
  const { pMiss } = mlrunProbabilities(parameters);
  const means: number[] = [];
  const p99s: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const run = simulate(network, {
      seed: replicationSeed(options.seed, i),
      durationSeconds: options.seconds,
    });
    const sojourn = (name: CalibratedStation) =>
      run.stations.find((s) => s.name === name)?.meanSojourn ?? 0;
    means.push(servedMean(sojourn, pMiss) + overheadSeconds);
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
  /** Why each failed criterion failed, one sentence each (the report says why). */
  reasons: string[];
};

/** What acceptance judges: the errors, and the measurement they come from. */
export type Judged = {
  utilization: number;
  rateErrors: Record<CalibratedStation, number | null>;
  modelRates: Record<CalibratedStation, number>;
  measuredRates: Record<CalibratedStation, MeanInterval>;
  meanLatencyError: number | null;
};

/**
 * The acceptance: rates within 5%, and the mean within 15% at ρ ≤ 0.7. A failed
 * rate whose model value lies inside the measured 95% interval is said so: the run had too
 * few arrivals at that station to resolve 5% (a longer window would), not a wrong model.
 */
export function acceptance(j: Judged): Acceptance {
  const notJudged = STATIONS.filter(
    (name) => !(j.modelRates[name] >= MIN_JUDGED_RATE) || j.rateErrors[name] === null,
  );
  const failed = STATIONS.filter(
    (name) => !notJudged.includes(name) && (j.rateErrors[name] ?? Infinity) > 0.05,
  );
  const reasons = failed.map((name) => rateReason(name, j));
  const meanLatency =
    j.utilization <= 0.7 + 1e-9 ? j.meanLatencyError !== null && j.meanLatencyError <= 0.15 : null;
  if (meanLatency === false)
    reasons.push(`mean latency ${percent(j.meanLatencyError)} from the model (limit 15%)`);
  const rates = failed.length === 0;
  return { rates, meanLatency, holds: rates && meanLatency !== false, notJudged, reasons };
}

function rateReason(name: CalibratedStation, j: Judged): string {
  const measured = j.measuredRates[name];
  const model = j.modelRates[name];
  const text = `${name} rate ${measured.mean.toFixed(2)} ± ${measured.halfWidth.toFixed(2)}/s is ${percent(j.rateErrors[name] ?? null)} from the model's ${model.toFixed(2)}/s`;
  const inside = Math.abs(measured.mean - model) <= measured.halfWidth;
  return inside
    ? `${text}, inside the measured 95% interval: too few arrivals to resolve 5%`
    : `${text}, outside the measured 95% interval`;
}

function percent(error: number | null): string {
  return error === null ? 'n/a' : `${(error * 100).toFixed(1)}%`;
}

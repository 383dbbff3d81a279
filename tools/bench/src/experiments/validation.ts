// Model validation: at target utilizations of the predict station and K wrappers, the
// live stack under an open-loop Poisson load against the analytic model and the simulator
// for the same workload. The model gets the calibrated service rates and the workload's
// rate, clients, lifetimes and K; p_stale and p_miss are its own predictions.
import { meanInterval, requiredSamples, type MeanInterval } from '@ml-run/qnet';

import {
  pinProcessTree,
  runOpenLoop,
  runPinned,
  scrapeEverySecond,
  type MetricSeries,
  type OpenLoopOptions,
  type OpenLoopResult,
} from '../loadgen';
import { type CalibrationResult } from './calibrate';
import { type CalibratedStation } from './calibration-math';
import { durationSeconds, startExperimentStack, type ExperimentStack } from './stack';
import {
  rateEstimate,
  stationCounters,
  STATIONS,
  windowSamples,
  type RateSample,
} from './validation-math';
import { buildRow, type MeasuredPoint, type ValidationRow } from './validation-row';

export type { ValidationRow } from './validation-row';

export type ValidationOptions = {
  /** Service rates and the path overhead, from runCalibration with the same model. */
  calibration: CalibrationResult;
  /** The model bundle (default: the calibration's). */
  model?: string;
  wrappers?: number[];
  utilizations?: number[];
  /** C: test users, each with its own token (default 20; quick 10). */
  clients?: number;
  /** Wrapper L1 lifetime (default 1s: the validator sees real traffic). */
  l1Ttl?: string;
  /**
   * Token lifetime (default 10s; quick 2s): tokens really expire and logins happen. The
   * warm-up lasts at least two lifetimes, so the window sees expiries near their steady
   * rate (all clients log in at the start of a run: their first expiries come together).
   */
  tokenTtl?: string;
  /** δ of the sample-size rule, as a fraction of the pilot's mean latency (default 0.05). */
  relativePrecision?: number;
  /** Pin the services to CPU 1 and the generator to CPU 0 (taskset). */
  pin?: boolean;
  /** One K, two utilizations, short runs: checks the pipeline (< 1 min). */
  quick?: boolean;
  seed?: number;
  log?: (line: string) => void;
};

/** How long the load runs: batches of batchSeconds, a pilot, and a cap. */
export type RunPlan = {
  batchSeconds: number;
  pilotBatches: number;
  maxBatches: number;
  warmupSeconds: number;
  simulationRuns: number;
  simulationSeconds: number;
};

const FULL: RunPlan = {
  batchSeconds: 2,
  pilotBatches: 10,
  maxBatches: 60,
  warmupSeconds: 3,
  simulationRuns: 10,
  simulationSeconds: 300,
};
const QUICK: RunPlan = {
  batchSeconds: 1,
  pilotBatches: 4,
  maxBatches: 6,
  warmupSeconds: 1,
  simulationRuns: 3,
  simulationSeconds: 60,
};

/** One row per (K, ρ): measured, analytic, simulated, errors, acceptance. */
export async function runValidation(options: ValidationOptions): Promise<ValidationRow[]> {
  const plan = options.quick ? QUICK : FULL;
  const wrappers = options.wrappers ?? (options.quick ? [1] : [1, 2, 4]);
  const utilizations = options.utilizations ?? (options.quick ? [0.3, 0.7] : [0.3, 0.5, 0.7, 0.9]);
  const rows: ValidationRow[] = [];
  for (const k of wrappers)
    for (const rho of utilizations) {
      const point = await measurePoint(options, plan, k, rho);
      const row = buildRow(point, options.calibration, plan, options.seed ?? 1);
      options.log?.(summaryLine(row));
      rows.push(row);
    }
  return rows;
}

async function measurePoint(
  options: ValidationOptions,
  plan: RunPlan,
  wrappers: number,
  utilization: number,
): Promise<MeasuredPoint> {
  const clients = options.clients ?? (options.quick ? 10 : 20);
  const l1Ttl = options.l1Ttl ?? '1s';
  const tokenTtl = options.tokenTtl ?? (options.quick ? '2s' : '10s');
  const rate = utilization * wrappers * options.calibration.experimentServiceRates.predict;
  const stack = await startExperimentStack({
    wrappers,
    workers: 1,
    clients,
    l1Ttl,
    tokenTtl,
    model: options.model ?? options.calibration.model,
    authMode: 'bearer',
  });
  try {
    if (options.pin) pinServices(stack);
    // Every client logs in at the start of a run, so their tokens first expire together;
    // two lifetimes of warm-up let the expiries spread before the window opens.
    const warmupSeconds = Math.max(plan.warmupSeconds, 2 * durationSeconds(tokenTtl));
    const load = await loadUntilPrecise(stack, options, { ...plan, warmupSeconds }, rate);
    return {
      wrappers,
      utilization,
      rate,
      clients,
      l1TtlSeconds: durationSeconds(l1Ttl),
      tokenLifetimeSeconds: durationSeconds(tokenTtl),
      ...load,
    };
  } finally {
    await stack.stop();
  }
}

type LoadFigures = Omit<
  MeasuredPoint,
  'wrappers' | 'utilization' | 'rate' | 'clients' | 'l1TtlSeconds' | 'tokenLifetimeSeconds'
>;

// The pilot's batch means give S; n ≥ t²S²/δ² (δ = relativePrecision × the pilot's mean)
// says how many batches the mean needs; a second run adds the missing ones, up to the cap.
async function loadUntilPrecise(
  stack: ExperimentStack,
  options: ValidationOptions,
  plan: RunPlan,
  rate: number,
): Promise<LoadFigures> {
  const precision = options.relativePrecision ?? 0.05;
  const seed = options.seed ?? 1;
  const pilot = await measuredRun(stack, options, plan, rate, plan.pilotBatches, seed);
  const required = requiredSamples(pilot.batchMeans, precision);
  const extra = Math.min(required, plan.maxBatches) - plan.pilotBatches;
  const runs = [pilot];
  if (extra > 0) runs.push(await measuredRun(stack, options, plan, rate, extra, seed + 1));
  const batchMeans = runs.flatMap((r) => r.batchMeans);
  const longest = runs.reduce((a, b) =>
    b.result.counts.completed > a.result.counts.completed ? b : a,
  );
  const scheduled = runs.reduce((sum, r) => sum + r.result.counts.scheduled, 0);
  const windows = runs.reduce((sum, r) => sum + r.result.windowSeconds, 0);
  return {
    offeredRate: scheduled / windows,
    meanLatency: meanInterval(batchMeans),
    p99LatencySeconds: longest.result.latency.p99 / 1000,
    rates: Object.fromEntries(
      STATIONS.map((name) => [name, rateEstimate(runs.flatMap((r) => r.rates[name]))]),
    ) as Record<CalibratedStation, MeanInterval>,
    batches: {
      batchSeconds: plan.batchSeconds,
      pilot: plan.pilotBatches,
      required,
      used: batchMeans.length,
      capped: required > batchMeans.length,
      relativePrecision: precision,
    },
    counts: runs.map((r) => r.result.counts),
    pinned: options.pin === true,
  };
}

type MeasuredRun = {
  result: OpenLoopResult;
  /** Seconds. */
  batchMeans: number[];
  rates: Record<CalibratedStation, RateSample[]>;
};

async function measuredRun(
  stack: ExperimentStack,
  options: ValidationOptions,
  plan: RunPlan,
  rate: number,
  batches: number,
  seed: number,
): Promise<MeasuredRun> {
  const load: OpenLoopOptions = {
    url: stack.predictUrl,
    body: '{}',
    rate,
    seconds: batches * plan.batchSeconds,
    warmupSeconds: plan.warmupSeconds,
    batchSeconds: plan.batchSeconds,
    seed,
    clients: stack.clients,
    issuerUrl: stack.issuerUrl,
    onUnauthorized: 'leave',
  };
  const scraper = scrapeEverySecond(stack.scrapeTargets);
  const result = options.pin ? await runPinned('0', 'open', load) : await runOpenLoop(load);
  const series = await scraper.stop();
  if (result.counts.errors > 0 || result.counts.dropped > 0)
    throw new Error(
      `${rate.toFixed(1)}/s on K=${stack.wrapperUrls.length}: ${result.counts.errors} errors, ${result.counts.dropped} dropped: the stack did not keep up`,
    );
  const rates = ratesIn(series, stack, { result, warmupSeconds: plan.warmupSeconds });
  return { result, batchMeans: result.batchMeans.map((ms) => ms / 1000), rates };
}

// The measured window in the scrape series' time: the schedule started at
// result.startedAt; the window opens after the warm-up and lasts windowSeconds.
function ratesIn(
  series: MetricSeries,
  stack: ExperimentStack,
  run: { result: OpenLoopResult; warmupSeconds: number },
): Record<CalibratedStation, RateSample[]> {
  const from = (run.result.startedAt - series.startedAt) / 1000 + run.warmupSeconds;
  const to = from + run.result.windowSeconds;
  const counters = stationCounters(stack.wrapperUrls.length);
  return Object.fromEntries(
    STATIONS.map((name) => [name, windowSamples(series, counters[name], from, to)]),
  ) as Record<CalibratedStation, RateSample[]>;
}

// Every service on CPU 1, the generator on CPU 0 (runPinned): the generator's CPU does
// not queue in front of the services'.
function pinServices(stack: ExperimentStack): void {
  for (const pid of Object.values(stack.pids)) pinProcessTree(pid, '1');
}

function summaryLine(row: ValidationRow): string {
  const pct = (e: number | null) => (e === null ? '—' : `${(e * 100).toFixed(1)}%`);
  const ms = (s: number) => `${(s * 1e3).toFixed(1)} ms`;
  return `K=${row.wrappers} ρ=${row.targetUtilization} λ=${row.rate.toFixed(1)}/s (offered ${row.offeredRate.toFixed(1)}/s): mean ${ms(row.measured.meanLatency.mean)} ± ${ms(row.measured.meanLatency.halfWidth)} vs model ${ms(row.analytic.meanLatency)} (${pct(row.errors.meanLatency)}), sim ${ms(row.simulated.meanLatency.mean)}; p99 ${ms(row.measured.p99Latency)} vs sim ${ms(row.simulated.p99Latency.mean)}; worst rate error ${pct(row.errors.worstRate)}; ${row.acceptance.holds ? 'accepted' : `NOT accepted: ${row.acceptance.reasons.join('; ')}`}`;
}

// Fig. 6 live: the validator's load (introspection calls from the wrappers per second)
// against the L1 cache lifetime d (the wrappers' MLRUN_L1_TTL), for K = 1, 2, 4 wrappers,
// with the token lifetime long against every window. One stack per (d, K); the K stacks of
// one d run side by side, so a long d costs its warm-up and window once, not once per K.
import { ttlSetting } from './fig5-points';
import { pointTiming, validatorRates, type PointTiming } from './fig6-points';
import { type Interval } from './interval';
import { loadPoint, wrapperTargets } from './load-run';
import { durationSeconds, startExperimentStack, type ExperimentStack } from './stack';
import { measuredWindow, rateInterval, windowRates } from './window-series';

export type Fig6Options = {
  rate: number;
  clients: number;
  wrappers: number[];
  /** L1 lifetimes d to measure, seconds. */
  l1Ttls: number[];
  /** The issuer's token TTL: long against every point's warm-up and window. */
  tokenTtl: string;
  model: string;
  workers: number;
  body: string;
  /** The measurement rule (see pointTiming). */
  rule: { minCycles: number; minWindow: number; minWarmup: number };
  batches: number;
  seed: number;
  log: (line: string) => void;
};

export type Fig6Point = {
  wrappers: number;
  l1TtlSeconds: number;
  timing: PointTiming;
  /** Introspection calls per second, summed over the K wrappers (their own counter). */
  validatorRate: Interval;
  /** The same load seen at the validator (mlrun_introspections_total), mean only. */
  introspectionRate: number;
  offeredRate: number;
  /** The model at the offered rate: steady state, and a window that starts cold. */
  modelSteady: number;
  modelColdWindow: number;
  errors: number;
};

export type Fig6Result = {
  rate: number;
  clients: number;
  tokenTtl: string;
  rule: Fig6Options['rule'];
  batches: number;
  points: Fig6Point[];
};

const VALIDATOR_CALLS = /^mlrun_auth_validator_calls_total/;
const INTROSPECTIONS = /^mlrun_introspections_total/;

export async function runFig6(options: Fig6Options): Promise<Fig6Result> {
  const points: Fig6Point[] = [];
  for (const d of options.l1Ttls) {
    options.log(`fig6 L1 TTL ${ttlSetting(d)}: K = ${options.wrappers.join(', ')} side by side`);
    const measured = await Promise.all(options.wrappers.map((k) => measureOne(options, d, k)));
    points.push(...measured);
  }
  const { rate, clients, tokenTtl, rule, batches } = options;
  return { rate, clients, tokenTtl, rule, batches, points };
}

async function measureOne(options: Fig6Options, d: number, wrappers: number): Promise<Fig6Point> {
  const workload = { rate: options.rate, clients: options.clients, wrappers };
  const timing = pointTiming(d, workload, options.rule);
  const stack = await startExperimentStack({
    wrappers,
    l1Ttl: ttlSetting(d),
    tokenTtl: options.tokenTtl,
    model: options.model,
    workers: options.workers,
    clients: options.clients,
    authMode: 'bearer',
  });
  try {
    return await measureOn(stack, options, d, timing);
  } finally {
    await stack.stop();
  }
}

async function measureOn(
  stack: ExperimentStack,
  options: Fig6Options,
  d: number,
  timing: PointTiming,
): Promise<Fig6Point> {
  const run = { ...options, seconds: timing.windowSeconds, warmupSeconds: timing.warmupSeconds };
  const { result, series } = await loadPoint(stack, run);
  const wrappers = wrapperTargets(stack);
  const window = measuredWindow(result, series, run);
  const calls = windowRates(series, wrappers, VALIDATOR_CALLS, window);
  const introspections = windowRates(series, ['validator'], INTROSPECTIONS, window);
  const workload = {
    rate: result.offeredRate,
    clients: options.clients,
    wrappers: wrappers.length,
  };
  const tokenTtl = durationSeconds(options.tokenTtl);
  const model = validatorRates(d, tokenTtl, workload, timing.windowSeconds);
  return {
    wrappers: wrappers.length,
    l1TtlSeconds: d,
    timing,
    validatorRate: rateInterval(calls, options.batches),
    introspectionRate: mean(introspections),
    offeredRate: result.offeredRate,
    modelSteady: model.steady,
    modelColdWindow: model.coldWindow,
    errors: result.counts.errors,
  };
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? NaN : values.reduce((sum, v) => sum + v, 0) / values.length;

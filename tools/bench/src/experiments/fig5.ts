// Fig. 5 live: the rate reaching predict against the token-aging probability p_stale, at a
// fixed open-loop λ, a 401 leaving the system (onUnauthorized 'leave': the paper's model).
// (a) p_stale from real token expiry: the token TTL per point from p_stale = C/(C+λT);
// (b) p_stale from injected stale tokens (staleFraction = p) with a long TTL.
import { measuredStale, modelPredictRate, runnableTokenTtl, ttlSetting } from './fig5-points';
import { batchMeans, tInterval, type Interval } from './interval';
import { loadPoint, wrapperTargets } from './load-run';
import { startExperimentStack, type ExperimentStack } from './stack';
import { measuredWindow, rateInterval, windowRates } from './window-series';

export type Fig5Options = {
  /** λ: open-loop arrivals per second through the router. */
  rate: number;
  /** C: clients, each with its own token and login. */
  clients: number;
  /** K: wrapper replicas. */
  wrappers: number;
  model: string;
  workers: number;
  body: string;
  /** Target p_stale values (each < 1); 0 is run once, in (b) (no stale token at all). */
  pStale: number[];
  warmupSeconds: number;
  seconds: number;
  /** Batches of the window for the t intervals. */
  batches: number;
  /** The token TTL of the injected runs: long against the window (no real expiry). */
  longTokenTtl: string;
  l1Ttl: string;
  seed: number;
  log: (line: string) => void;
};

export type Fig5Mode = 'expiry' | 'injected';

export type Fig5Point = {
  mode: Fig5Mode;
  /** The p_stale the point was set up for. */
  target: number;
  /** The issuer's token TTL of the run (a duration setting). */
  tokenTtl: string;
  /** x: 401s over answered requests (point estimate from the window's counts). */
  stale: number;
  /** The same fraction per batch, with its t interval. */
  staleInterval: Interval;
  /** y: predictions per second at the wrappers (mlrun_predictions_total, status 200). */
  predictRate: Interval;
  /** Logins per second by the clients (each after a 401). */
  loginRate: Interval;
  /** What the generator actually scheduled per second. */
  offeredRate: number;
  /** The model's λ(1 − p) at the measured p, with λ the offered rate. */
  modelPredictRate: number;
  errors: number;
  dropped: number;
};

export type Fig5Result = {
  rate: number;
  clients: number;
  wrappers: number;
  warmupSeconds: number;
  seconds: number;
  batches: number;
  longTokenTtl: string;
  l1Ttl: string;
  points: Fig5Point[];
};

const PREDICTIONS_OK = /^mlrun_predictions_total\{.*status="200"/;

/** Runs both series of Fig. 5, one stack per real-expiry point, one stack for (b). */
export async function runFig5(options: Fig5Options): Promise<Fig5Result> {
  const points: Fig5Point[] = [];
  const expiry = options.pStale.filter((p) => p > 0);
  // Every point's TTL checked before the first stack starts, not twenty minutes in.
  const ttls = expiry.map((target) => ttlSetting(runnableTokenTtl(target, options)));
  for (const [i, target] of expiry.entries()) {
    const tokenTtl = ttls[i] ?? '';
    options.log(`fig5 (a) p_stale ${target}: token TTL ${tokenTtl}`);
    await withStack(options, tokenTtl, async (stack) =>
      points.push(await measurePoint(stack, options, 'expiry', target, 0)),
    );
  }
  await withStack(options, options.longTokenTtl, async (stack) => {
    for (const target of options.pStale) {
      options.log(`fig5 (b) p_stale ${target}: injected, token TTL ${options.longTokenTtl}`);
      points.push(await measurePoint(stack, options, 'injected', target, target));
    }
  });
  const { rate, clients, wrappers, warmupSeconds, seconds, batches, longTokenTtl, l1Ttl } = options;
  return { rate, clients, wrappers, warmupSeconds, seconds, batches, longTokenTtl, l1Ttl, points };
}

async function withStack(
  options: Fig5Options,
  tokenTtl: string,
  run: (stack: ExperimentStack) => Promise<unknown>,
): Promise<void> {
  const stack = await startExperimentStack({
    wrappers: options.wrappers,
    l1Ttl: options.l1Ttl,
    tokenTtl,
    model: options.model,
    workers: options.workers,
    clients: options.clients,
    authMode: 'bearer',
  });
  try {
    await run(stack);
  } finally {
    await stack.stop();
  }
}

async function measurePoint(
  stack: ExperimentStack,
  options: Fig5Options,
  mode: Fig5Mode,
  target: number,
  staleFraction: number,
): Promise<Fig5Point> {
  const { result, series } = await loadPoint(stack, { ...options, staleFraction });
  const wrappers = wrapperTargets(stack);
  const window = measuredWindow(result, series, {
    warmupSeconds: options.warmupSeconds,
    seconds: options.seconds,
  });
  const predictPerSecond = windowRates(series, wrappers, PREDICTIONS_OK, window);
  const measured = result.perSecond.filter((s) => s.measured);
  const staleSeries = measured.map((s) => measuredStale({ ...s, errors: 0 }));
  const ok = result.counts.byStatus['200'] ?? 0;
  const stale = measuredStale({ ok, unauthorized: result.counts.unauthorized, errors: 0 });
  return {
    mode,
    target,
    tokenTtl: stack.settings.tokenTtl,
    stale,
    staleInterval: tInterval(batchMeans(staleSeries, options.batches)),
    predictRate: rateInterval(predictPerSecond, options.batches),
    loginRate: rateInterval(
      measured.map((s) => s.logins),
      options.batches,
    ),
    offeredRate: result.offeredRate,
    modelPredictRate: modelPredictRate(result.offeredRate, stale),
    errors: result.counts.errors,
    dropped: result.counts.dropped,
  };
}

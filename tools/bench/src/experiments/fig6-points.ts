// The pure parts of Fig. 6 live: how long each L1-lifetime point warms up and measures,
// and what the model predicts for a window that starts cold against the steady state.
import {
  DEFAULT_MLRUN_PARAMETERS,
  l1MissProbability,
  staleProbability,
  validatorRateVsLifetime,
  type MlrunParameters,
} from '@ml-run/qnet';

/** The workload of a Fig. 6 point: λ from C clients spread over K wrappers. */
export type PairWorkload = { rate: number; clients: number; wrappers: number };

/** How long a point warms up and measures, in seconds. */
export type PointTiming = { warmupSeconds: number; windowSeconds: number; cycleSeconds: number };

/**
 * The measurement rule for an L1 lifetime d. One (client, replica) pair sees requests at
 * r = λ/(C·K); after a miss its entry is fresh for d, and the next request after that
 * misses again, so its misses come every d + 1/r seconds on average (the cycle). Every
 * pair starts cold together, so for long d their misses stay bunched for several cycles:
 * a window that is not a whole number of cycles reads a burst too many or too few, and
 * a window edge on a burst cuts it at random. Hence:
 *  - warm up one and a half cycles (so past the first TTL), at least `minWarmup`: the
 *    window then starts, and ends, half a cycle away from the bursts (a warm-up of one
 *    cycle put its start on the second burst, and the window read half the rate);
 *  - measure a whole number of cycles, at least `minCycles` of them, and at least
 *    `minWindow` seconds (short lifetimes then span many cycles and desynchronize).
 *
 * @example
 * pointTiming(60, { rate: 100, clients: 10, wrappers: 1 }, { minCycles: 2, minWindow: 20, minWarmup: 3 });
 * // cycle 60.1 s: warm-up 90.15 s, window 120.2 s
 */
export function pointTiming(
  l1TtlSeconds: number,
  { rate, clients, wrappers }: PairWorkload,
  rule: { minCycles: number; minWindow: number; minWarmup: number },
): PointTiming {
  const pairRate = rate / (clients * wrappers);
  const cycleSeconds = l1TtlSeconds + 1 / pairRate;
  const cycles = Math.max(rule.minCycles, Math.ceil(rule.minWindow / cycleSeconds));
  return {
    cycleSeconds,
    warmupSeconds: Math.max(rule.minWarmup, 1.5 * cycleSeconds),
    windowSeconds: cycles * cycleSeconds,
  };
}

/**
 * Validator calls per second the model expects, in steady state (qnet's
 * validatorRateVsLifetime: λ·(p_stale + (1 − p_stale)·p_miss), a 401 leaving) and in a
 * window of `windowSeconds` that starts with every L1 entry cold. A cold window counts
 * each pair's first miss on top of its steady share, so it reads high by up to C·K/W: its
 * p_miss is qnet's for a token used for exactly W seconds (each token starts cold).
 *
 * @example
 * validatorRates(1, 3600, { rate: 100, clients: 10, wrappers: 2 }, 10); // { steady ≈ 16.7, coldWindow ≈ 17.4 }
 */
export function validatorRates(
  l1TtlSeconds: number,
  tokenTtlSeconds: number,
  workload: PairWorkload,
  windowSeconds: number,
): { steady: number; coldWindow: number } {
  const { rate, clients, wrappers } = workload;
  const parameters: MlrunParameters = {
    ...DEFAULT_MLRUN_PARAMETERS,
    rate,
    clients,
    tokenLifetimeSeconds: tokenTtlSeconds,
    staleRequests: 'leave',
  };
  const [series] = validatorRateVsLifetime(parameters, [l1TtlSeconds], [wrappers]);
  const steady = series?.points[0]?.y ?? NaN;
  const miss = (tokenLifetimeSeconds: number) =>
    l1MissProbability({ ...workload, l1TtlSeconds, tokenLifetimeSeconds });
  const valid = 1 - staleProbability({ rate, clients, tokenLifetimeSeconds: tokenTtlSeconds });
  const coldWindow = steady + rate * valid * (miss(windowSeconds) - miss(tokenTtlSeconds));
  return { steady, coldWindow };
}

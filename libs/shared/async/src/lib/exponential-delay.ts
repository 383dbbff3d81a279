/** How a delay grows between attempts: doubling from initialMs, capped at maxMs. */
export type ExponentialDelay = {
  initialMs: number;
  maxMs: number;
  /**
   * Spreads each delay over ±jitter of itself (0.2: 80 % to 120 %), so clients that failed
   * together do not all come back in lockstep. Default 0: exact delays.
   */
  jitter?: number;
};

// 2 ** 52 already dwarfs any maxMs; past it the product could become Infinity (or NaN
// when initialMs is 0).
const MAX_DOUBLINGS = 52;

/**
 * The delay before the attempt after `failures` failures (0: the first retry waits
 * initialMs). `random` is a draw in [0, 1) (tests pass a fixed one).
 */
export function exponentialDelayMs(
  failures: number,
  { initialMs, maxMs, jitter = 0 }: ExponentialDelay,
  random = Math.random(),
): number {
  const doublings = Math.min(Math.max(0, failures), MAX_DOUBLINGS);
  const base = Math.min(initialMs * 2 ** doublings, maxMs);
  return jitter === 0 ? base : Math.round(base * (1 - jitter + 2 * jitter * random));
}

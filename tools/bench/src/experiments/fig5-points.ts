// The pure arithmetic of Fig. 5 live: which token TTL gives a target p_stale, and what
// fraction of requests was measured stale.

/** The workload of a Fig. 5 point: λ requests/s from C clients. */
export type StaleWorkload = { rate: number; clients: number };

/**
 * The token TTL T at which the model's p_stale = C/(C+λT) equals `pStale`:
 * T = C·(1−p)/(λ·p). p_stale 0 needs an endless token: Infinity (the caller runs a long
 * TTL instead).
 *
 * @example
 * tokenTtlForStale(0.5, { rate: 200, clients: 20 }); // 0.1 s
 */
export function tokenTtlForStale(pStale: number, { rate, clients }: StaleWorkload): number {
  if (!(pStale >= 0 && pStale < 1))
    throw new RangeError(`p_stale must be in [0, 1), got ${pStale}`);
  if (!(rate > 0) || !(clients > 0))
    throw new RangeError(`rate and clients must be above 0, got ${rate} and ${clients}`);
  if (pStale === 0) return Infinity;
  return (clients * (1 - pStale)) / (rate * pStale);
}

/** The shortest MLRUN_TOKEN_TTL the issuer accepts. */
export const MIN_TOKEN_TTL_SECONDS = 0.1;

/**
 * tokenTtlForStale, refused with a sentence saying what to change when the issuer could
 * not run it (under its 100 ms minimum).
 *
 * @example
 * runnableTokenTtl(0.5, { rate: 100, clients: 20 }); // 0.2 s
 */
export function runnableTokenTtl(pStale: number, workload: StaleWorkload): number {
  const ttl = tokenTtlForStale(pStale, workload);
  if (ttl < MIN_TOKEN_TTL_SECONDS)
    throw new RangeError(
      `p_stale ${pStale} at λ = ${workload.rate}/s and C = ${workload.clients} needs a token TTL of ${ttl.toFixed(3)} s, under the issuer's ${MIN_TOKEN_TTL_SECONDS * 1000} ms minimum: lower the rate or raise the clients.`,
    );
  return ttl;
}

/**
 * A TTL as the services read it (MLRUN_TOKEN_TTL, MLRUN_L1_TTL): whole milliseconds below
 * 10 s (`250ms`), whole seconds from there (`60s`). Never 0: at least `1ms`.
 *
 * @example
 * ttlSetting(0.25); // '250ms'
 */
export function ttlSetting(seconds: number): string {
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new RangeError(`a TTL must be a finite number of seconds above 0, got ${seconds}`);
  if (seconds < 10) return `${Math.max(1, Math.round(seconds * 1000))}ms`;
  return `${Math.round(seconds)}s`;
}

/** The answers the load generator counted in a measurement window. */
export type AnswerCounts = { ok: number; unauthorized: number; errors: number };

/**
 * The measured token-aging probability: the fraction of answered requests that came back
 * 401. Errors (no answer, 5xx) are neither stale nor valid and are left out of both counts.
 *
 * @example
 * measuredStale({ ok: 750, unauthorized: 250, errors: 3 }); // 0.25
 */
export function measuredStale({ ok, unauthorized }: AnswerCounts): number {
  const answered = ok + unauthorized;
  return answered === 0 ? NaN : unauthorized / answered;
}

/** The model's rate reaching predict at token-aging probability p: λ·(1 − p). */
export function modelPredictRate(rate: number, pStale: number): number {
  return rate * (1 - pStale);
}

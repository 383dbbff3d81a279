import {
  RateLimiterMemory,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

export const LOGIN_COUNTERS = Symbol('LOGIN_COUNTERS');

/**
 * Where failed logins are counted: in this process (embedded mode, tests), or in a store
 * several issuers share (Ignite in cluster mode: IgniteRateLimiters), so a guesser gains
 * nothing by spreading attempts over issuers.
 */
export interface LoginCounters {
  /** A limiter of its own keyPrefix (limiters of one store share it). */
  limiter(options: IRateLimiterOptions): RateLimiterAbstract;
}

/** Counts kept by this process only. */
export const memoryLoginCounters: LoginCounters = {
  limiter: (options) => new RateLimiterMemory(options),
};

import { Logger } from '@nestjs/common';
import type { IRateLimiterOptions, RateLimiterAbstract } from 'rate-limiter-flexible';

import type { IgniteCache } from './ignite-cache';
import { IgniteRateLimiter, liveCount, type RateLimitCache } from './ignite-rate-limiter';
import { IgniteError, IgniteErrorCode } from './ignite.errors';

/** Where every process's rate-limit counts live (created on first use, in memory). */
export const RATE_LIMITS_CACHE = 'mlrun-rate-limits';

/** What the limiters need of a pool (an IgnitePool; a fake in unit tests). */
export type RateLimitPool = {
  cache(name: string): RateLimitCache & Pick<IgniteCache, 'scan' | 'removeIfEquals'>;
  createCache(name: string): Promise<void>;
};

export type IgniteRateLimitersOptions = {
  /** Default `mlrun-rate-limits`. */
  cacheName?: string;
  /** How often ended counts are removed; default 60 s. */
  sweepIntervalMs?: number;
};

/**
 * Rate limiters whose counts several processes share in one Ignite cache (each limiter
 * needs its own keyPrefix). The thin client cannot give entries an expiry, so a sweep
 * removes ended counts every interval: the cache holds at most the keys counted within
 * one window plus one interval. Call `start` before use and `close` when done.
 *
 * The cache has the server's defaults (in memory), so an Ignite restart loses it, and the
 * counts with it; the first change that finds it gone creates it again.
 */
export class IgniteRateLimiters {
  private readonly logger = new Logger(IgniteRateLimiters.name);
  private readonly cacheName: string;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pool: RateLimitPool,
    private readonly options: IgniteRateLimitersOptions = {},
  ) {
    this.cacheName = options.cacheName ?? RATE_LIMITS_CACHE;
  }

  /** Creates the cache when it is missing and starts the sweep. */
  async start(): Promise<void> {
    await this.pool.createCache(this.cacheName);
    this.timer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs ?? 60_000);
    this.timer.unref();
  }

  limiter(options: IRateLimiterOptions): RateLimiterAbstract {
    return new IgniteRateLimiter(this.recreating(this.pool.cache(this.cacheName)), options);
  }

  /** Removes the counts that ended; a count written meanwhile stays. Returns how many went. */
  async sweep(now = Date.now()): Promise<number> {
    const cache = this.pool.cache(this.cacheName);
    try {
      let removed = 0;
      for (const [key, raw] of await cache.scan()) {
        if (liveCount(raw, now) === undefined && (await cache.removeIfEquals(key, raw))) removed++;
      }
      return removed;
    } catch (error) {
      // The next sweep tries again; counts that ended already read as absent.
      this.logger.warn({ err: error, cache: this.cacheName }, 'rate-limit sweep failed');
      return 0;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  // Each call once more after creating the cache, when Ignite said it does not exist.
  private recreating(cache: RateLimitCache): RateLimitCache {
    const again = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        if (!isMissingCache(error)) throw error;
        this.logger.warn({ cache: this.cacheName }, 'rate-limit cache gone; creating it again');
        await this.pool.createCache(this.cacheName);
        return call();
      }
    };
    return {
      get: (key) => again(() => cache.get(key)),
      put: (key, value) => again(() => cache.put(key, value)),
      putIfAbsent: (key, value) => again(() => cache.putIfAbsent(key, value)),
      replaceIfEquals: (key, expected, next) =>
        again(() => cache.replaceIfEquals(key, expected, next)),
      remove: (key) => again(() => cache.remove(key)),
    };
  }
}

// Ignite's answer for a cache that is not there (e.g. after a restart of an in-memory one).
function isMissingCache(error: unknown): boolean {
  return (
    error instanceof IgniteError &&
    error.code === IgniteErrorCode.OperationFailed &&
    /cache does not exist/i.test(error.message)
  );
}

import { Logger } from '@nestjs/common';
import type { IRateLimiterOptions, RateLimiterAbstract } from 'rate-limiter-flexible';

import type { IgnitePool } from './ignite-pool';
import { IgniteRateLimiter, liveCount } from './ignite-rate-limiter';

/** Where every process's rate-limit counts live (created on first use, in memory). */
export const RATE_LIMITS_CACHE = 'mlrun-rate-limits';

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
 */
export class IgniteRateLimiters {
  private readonly logger = new Logger(IgniteRateLimiters.name);
  private readonly cacheName: string;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pool: IgnitePool,
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
    return new IgniteRateLimiter(this.pool.cache(this.cacheName), options);
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
}

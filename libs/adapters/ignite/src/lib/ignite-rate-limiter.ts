import { RateLimiterRes, type IRateLimiterOptions } from 'rate-limiter-flexible';
import RateLimiterStoreAbstract from 'rate-limiter-flexible/lib/RateLimiterStoreAbstract';

import { KeyedMutex } from '@ml-run/keyed-mutex';

import type { IgniteCache } from './ignite-cache';
import { IgniteError, IgniteErrorCode } from './ignite.errors';

/** What a limiter needs of a cache (an IgniteCache; a Map-backed fake in unit tests). */
export type RateLimitCache = Pick<
  IgniteCache,
  'get' | 'put' | 'putIfAbsent' | 'replaceIfEquals' | 'remove'
>;

/** A count and when it ends (epoch ms; null: never), as JSON in the cache. */
export type StoredCount = { points: number; expire: number | null };

// Every try lost a race with another process writing the same key: past this many, that
// key is under a write storm, and refusing (the caller's limit) beats spinning.
const MAX_TRIES = 32;

/**
 * A rate-limiter-flexible store on an Ignite cache, so that several processes share one
 * count per key. Each change is a compare-and-set (putIfAbsent, replaceIfEquals) retried
 * on a lost race, so concurrent increments from any number of processes all count; within
 * one process, changes to one key queue instead of racing. The thin client cannot expire
 * entries, so each holds its own end: an ended count reads as absent and a new window
 * starts over it; IgniteRateLimiters sweeps ended ones away.
 */
export class IgniteRateLimiter extends RateLimiterStoreAbstract {
  private readonly cache: RateLimitCache;
  // One change per key at a time in this process: the compare-and-set then races only
  // with other processes, not with a burst of this one's own requests.
  private readonly changes = new KeyedMutex();

  constructor(cache: RateLimitCache, options: IRateLimiterOptions) {
    super({ ...options, storeClient: cache });
    this.cache = cache;
  }

  _getRateLimiterRes(_key: string, changedPoints: number, stored: StoredCount): RateLimiterRes {
    const msBeforeNext = stored.expire === null ? -1 : Math.max(stored.expire - Date.now(), 0);
    return new RateLimiterRes(
      Math.max(this.points - stored.points, 0),
      msBeforeNext,
      stored.points,
      changedPoints === stored.points,
    );
  }

  _upsert(
    key: string,
    points: number,
    msDuration: number,
    forceExpire = false,
  ): Promise<StoredCount> {
    return this.changes.run(key, async () => {
      // block() and set(): a fresh count and a fresh end, whatever was there.
      if (forceExpire) {
        const fresh = { points, expire: endOf(msDuration) };
        await this.cache.put(key, JSON.stringify(fresh));
        return fresh;
      }
      for (let tries = 0; tries < MAX_TRIES; tries++) {
        const raw = await this.cache.get(key);
        const current = raw === undefined ? undefined : liveCount(raw);
        // The window runs from its first count; a count that ended starts a new one.
        const next = current
          ? { points: current.points + points, expire: current.expire }
          : { points, expire: endOf(msDuration) };
        const text = JSON.stringify(next);
        const written =
          raw === undefined
            ? await this.cache.putIfAbsent(key, text)
            : await this.cache.replaceIfEquals(key, raw, text);
        if (written) return next;
      }
      throw new IgniteError(
        IgniteErrorCode.OperationFailed,
        `${MAX_TRIES} concurrent writers changed rate-limit key ${key} first; try again`,
      );
    });
  }

  async _get(key: string): Promise<StoredCount | null> {
    const raw = await this.cache.get(key);
    return (raw !== undefined && liveCount(raw)) || null;
  }

  _delete(key: string): Promise<boolean> {
    return this.changes.run(key, () => this.cache.remove(key));
  }
}

function endOf(msDuration: number): number | null {
  return msDuration > 0 ? Date.now() + msDuration : null;
}

/** The stored count while it lasts; undefined once it ended, or when it is unreadable. */
export function liveCount(raw: string, now = Date.now()): StoredCount | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const { points, expire } = (value ?? {}) as Partial<StoredCount>;
  if (typeof points !== 'number' || !(expire === null || typeof expire === 'number')) {
    return undefined;
  }
  return expire === null || expire > now ? { points, expire } : undefined;
}

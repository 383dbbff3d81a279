import { Logger } from '@nestjs/common';

import { IgniteRateLimiters, type RateLimitPool } from './ignite-rate-limiters';
import { IgniteError, IgniteErrorCode } from './ignite.errors';

/** One cache that Ignite can lose (as an in-memory cache is lost on a restart). */
class FakePool implements RateLimitPool {
  readonly entries = new Map<string, string>();
  exists = false;
  created = 0;

  async createCache(): Promise<void> {
    this.exists = true;
    this.created++;
  }

  cache() {
    const check = () => {
      if (!this.exists) {
        const message = 'Ignite operation failed: Cache does not exist [cacheId= 1]';
        throw new IgniteError(IgniteErrorCode.OperationFailed, message);
      }
    };
    const entries = this.entries;
    return {
      async get(key: string) {
        check();
        return entries.get(key);
      },
      async put(key: string, value: string) {
        check();
        entries.set(key, value);
      },
      async putIfAbsent(key: string, value: string) {
        check();
        if (entries.has(key)) return false;
        entries.set(key, value);
        return true;
      },
      async replaceIfEquals(key: string, expected: string, next: string) {
        check();
        if (entries.get(key) !== expected) return false;
        entries.set(key, next);
        return true;
      },
      async remove(key: string) {
        check();
        return entries.delete(key);
      },
      async removeIfEquals(key: string, expected: string) {
        check();
        return entries.get(key) === expected && entries.delete(key);
      },
      async scan() {
        check();
        return new Map(entries);
      },
    };
  }

  lose(): void {
    this.exists = false;
    this.entries.clear();
  }
}

describe(IgniteRateLimiters.name, () => {
  let pool: FakePool;
  let sut: IgniteRateLimiters;

  beforeEach(async () => {
    pool = new FakePool();
    sut = new IgniteRateLimiters(pool);
    await sut.start();
  });
  afterEach(() => {
    sut.close();
    jest.restoreAllMocks();
  });

  it('creates its cache at start', () => {
    expect(pool.created).toBe(1);
  });

  it('creates the cache again when Ignite lost it, and keeps counting', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const limiter = sut.limiter({ keyPrefix: 'login-address', points: 3, duration: 60 });
    await limiter.penalty('10.0.0.1');
    pool.lose();
    expect((await limiter.penalty('10.0.0.1')).consumedPoints).toBe(1);
    expect(pool.created).toBe(2);
  });

  it('sweeps ended and unreadable counts, and leaves live ones', async () => {
    const now = Date.now();
    pool.entries.set('a:ended', JSON.stringify({ points: 2, expire: now - 1 }));
    pool.entries.set('a:garbage', 'not json');
    pool.entries.set('a:live', JSON.stringify({ points: 2, expire: now + 60_000 }));
    pool.entries.set('a:forever', JSON.stringify({ points: 2, expire: null }));
    expect(await sut.sweep(now)).toBe(2);
    expect([...pool.entries.keys()]).toEqual(['a:live', 'a:forever']);
  });

  it('logs a failed sweep instead of throwing', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    pool.lose();
    await expect(sut.sweep()).resolves.toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.anything(), 'rate-limit sweep failed');
  });
});

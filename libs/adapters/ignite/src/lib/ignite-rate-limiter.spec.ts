import { IgniteRateLimiter, type RateLimitCache } from './ignite-rate-limiter';

/** A cache with Ignite's compare-and-set semantics; every call yields, as a request would. */
class FakeCache implements RateLimitCache {
  readonly entries = new Map<string, string>();
  private readonly tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  async get(key: string) {
    await this.tick();
    return this.entries.get(key);
  }
  async put(key: string, value: string) {
    await this.tick();
    this.entries.set(key, value);
  }
  async putIfAbsent(key: string, value: string) {
    await this.tick();
    if (this.entries.has(key)) return false;
    this.entries.set(key, value);
    return true;
  }
  async replaceIfEquals(key: string, expected: string, next: string) {
    await this.tick();
    if (this.entries.get(key) !== expected) return false;
    this.entries.set(key, next);
    return true;
  }
  async remove(key: string) {
    await this.tick();
    return this.entries.delete(key);
  }
}

describe(IgniteRateLimiter.name, () => {
  let cache: FakeCache;
  const limiterOn = (points = 3) =>
    new IgniteRateLimiter(cache, { keyPrefix: 'login-address', points, duration: 60 });

  beforeEach(() => {
    cache = new FakeCache();
  });
  afterEach(() => jest.useRealTimers());

  it('counts every increment that two processes make at once', async () => {
    // Two processes: each limiter has its own queue, so their writes really race.
    const [a, b] = [limiterOn(), limiterOn()];
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).penalty('10.0.0.1')));
    expect((await a.get('10.0.0.1'))?.consumedPoints).toBe(20);
    expect(JSON.parse(cache.entries.get('login-address:10.0.0.1') ?? '{}')).toMatchObject({
      points: 20,
    });
  });

  it('shares a block with every process, for the blocked time', async () => {
    const [a, b] = [limiterOn(), limiterOn()];
    await a.block('10.0.0.1', 30);
    const seen = await b.penalty('10.0.0.1');
    expect(seen.consumedPoints).toBeGreaterThan(3);
    expect(seen.msBeforeNext).toBeGreaterThan(29_000);
    expect(seen.msBeforeNext).toBeLessThanOrEqual(30_000);
  });

  it('forgets a count once its window ended, and starts a new one over it', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'], now: 1_000_000 });
    const sut = limiterOn();
    await sut.penalty('10.0.0.1', 2);
    jest.setSystemTime(1_000_000 + 60_001);
    expect(await sut.get('10.0.0.1')).toBeNull();
    const fresh = await sut.penalty('10.0.0.1');
    expect(fresh.consumedPoints).toBe(1);
    expect(fresh.msBeforeNext).toBe(60_000);
  });

  it('keeps the window of the first count: later ones do not extend it', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'], now: 1_000_000 });
    const sut = limiterOn();
    await sut.penalty('10.0.0.1');
    jest.setSystemTime(1_000_000 + 50_000);
    expect((await sut.penalty('10.0.0.1')).msBeforeNext).toBe(10_000);
  });

  it('gives points back and deletes', async () => {
    const sut = limiterOn();
    await sut.penalty('ada', 2);
    expect((await sut.reward('ada')).consumedPoints).toBe(1);
    expect(await sut.delete('ada')).toBe(true);
    expect(await sut.get('ada')).toBeNull();
  });

  it('counts over a value it cannot read instead of failing every login', async () => {
    cache.entries.set('login-address:10.0.0.1', 'not json');
    expect((await limiterOn().penalty('10.0.0.1')).consumedPoints).toBe(1);
  });
});

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

import { IgnitePool } from './ignite-pool';
import { IgniteRateLimiters, RATE_LIMITS_CACHE } from './ignite-rate-limiters';

// Needs the platform Ignite of tools/services/ignite/up.sh (REAL_COMPONENTS, with its login).
const ENDPOINT = REAL_COMPONENTS.igniteEndpoints;
const LOGIN = platformIgniteLogin();

describe(IgniteRateLimiters.name, () => {
  // Keys of this run only: the cache is shared with every other run and process.
  const prefix = `int-spec-${randomUUID()}`;
  let poolA: IgnitePool;
  let poolB: IgnitePool;
  let a: IgniteRateLimiters;
  let b: IgniteRateLimiters;

  // Two pools (two thin clients, two sockets): two issuers sharing one Ignite.
  beforeAll(async () => {
    poolA = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN });
    poolB = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN, poolSize: 1 });
    await Promise.all([poolA.connect(), poolB.connect()]);
    a = new IgniteRateLimiters(poolA, { sweepIntervalMs: 3_600_000 });
    b = new IgniteRateLimiters(poolB, { sweepIntervalMs: 3_600_000 });
    await Promise.all([a.start(), b.start()]);
  });
  afterAll(async () => {
    const mine = await poolA.cache(RATE_LIMITS_CACHE).scan(prefix);
    await poolA.cache(RATE_LIMITS_CACHE).removeAll([...mine.keys()]);
    a.close();
    b.close();
    poolA.close();
    poolB.close();
  });

  it('counts every failure two processes record at once, none lost', async () => {
    const options = { keyPrefix: `${prefix}-count`, points: 1000, duration: 60 };
    const [onA, onB] = [a.limiter(options), b.limiter(options)];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? onA : onB).penalty('10.0.0.1')),
    );
    expect((await onA.get('10.0.0.1'))?.consumedPoints).toBe(60);
    expect((await onB.get('10.0.0.1'))?.consumedPoints).toBe(60);
  });

  it('locks an address on one process after failures through the other', async () => {
    const options = { keyPrefix: `${prefix}-lock`, points: 3, duration: 60 };
    const [onA, onB] = [a.limiter(options), b.limiter(options)];
    for (let i = 0; i < 3; i++) await onA.penalty('10.0.0.2');
    await onA.block('10.0.0.2', 60);
    const seen = await onB.penalty('10.0.0.2');
    expect(seen.consumedPoints).toBeGreaterThan(3);
    expect(seen.msBeforeNext).toBeGreaterThan(55_000);
    expect((await onB.penalty('10.0.0.3')).consumedPoints).toBe(1);
  });

  it('sweeps ended counts out of the cache and leaves live ones', async () => {
    const ending = a.limiter({ keyPrefix: `${prefix}-ending`, points: 3, duration: 1 });
    const live = a.limiter({ keyPrefix: `${prefix}-live`, points: 3, duration: 60 });
    await ending.penalty('10.0.0.4');
    await live.penalty('10.0.0.4');
    await sleep(1100);
    expect(await ending.get('10.0.0.4')).toBeNull();
    expect(await b.sweep()).toBeGreaterThanOrEqual(1);
    const left = await poolA.cache(RATE_LIMITS_CACHE).scan(prefix);
    expect([...left.keys()]).not.toContain(`${prefix}-ending:10.0.0.4`);
    expect([...left.keys()]).toContain(`${prefix}-live:10.0.0.4`);
  });
});

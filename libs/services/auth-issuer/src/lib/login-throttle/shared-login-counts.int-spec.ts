import { randomInt } from 'node:crypto';

import { IgnitePool, IgniteRateLimiters, RATE_LIMITS_CACHE } from '@ml-run/ignite';
import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

import { ADA_PASSWORD, startTestIssuer, type TestIssuer } from '../../testing/start-test-issuer';
import { LoginThrottle } from './login-throttle.service';

// Needs the platform Ignite of tools/services/ignite/up.sh (REAL_COMPONENTS, with its login).
const ENDPOINT = REAL_COMPONENTS.igniteEndpoints;
const LOGIN = platformIgniteLogin();
const LIMITS = {
  MLRUN_LOGIN_MAX_FAILURES_PER_USER: '3',
  MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS: '4',
  MLRUN_LOGIN_LOCK_SECONDS: '60',
};

// A guesser spreading attempts over two issuers that count in one Ignite.
describe(`${LoginThrottle.name} across issuers`, () => {
  // Addresses of this run only: counts outlive a run by the lock period.
  const base = `10.${randomInt(256)}.${randomInt(256)}`;
  const guesser = `${base}.1`;
  const owner = `${base}.2`;
  const pools: IgnitePool[] = [];
  const counters: IgniteRateLimiters[] = [];
  const issuers: TestIssuer[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const pool = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN, poolSize: 1 });
      await pool.connect();
      const shared = new IgniteRateLimiters(pool);
      await shared.start();
      pools.push(pool);
      counters.push(shared);
      issuers.push(await startTestIssuer(LIMITS, undefined, shared));
    }
  });
  afterAll(async () => {
    await Promise.all(issuers.map((issuer) => issuer.close()));
    const cache = pools[0]?.cache(RATE_LIMITS_CACHE);
    const mine = [...((await cache?.scan()) ?? new Map()).keys()].filter((k) => k.includes(base));
    await cache?.removeAll(mine);
    for (const shared of counters) shared.close();
    for (const pool of pools) pool.close();
  });

  const login = (
    issuer: TestIssuer | undefined,
    username: string,
    password: string,
    from: string,
  ) =>
    issuer?.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      remoteAddress: from,
      payload: { grant_type: 'password', username, password },
    });

  it('locks the guessing address on the other issuer, and only that address', async () => {
    const [first, second] = issuers;
    for (const username of ['ada', 'pat', 'root', 'nobody']) {
      expect((await login(first, username, 'wrong-password-1', guesser))?.statusCode).toBe(400);
    }
    const refused = await login(second, 'ada', ADA_PASSWORD, guesser);
    expect(refused?.statusCode).toBe(429);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(50);
    expect((await login(second, 'ada', ADA_PASSWORD, owner))?.statusCode).toBe(200);
  });
});

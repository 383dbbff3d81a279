import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

import { IgnitePool } from './ignite-pool';
import { igniteTokenTtlSeconds, tokenLifetimeProblem } from './token-lifetime-check';

// Needs the platform Ignite of tools/services/ignite/up.sh (REAL_COMPONENTS, with its login), with its default
// token TTL (MLRUN_IGNITE_TOKEN_TTL_SECONDS unset: 3600 s).
const ENDPOINT = REAL_COMPONENTS.igniteEndpoints;
const LOGIN = platformIgniteLogin();

describe(tokenLifetimeProblem.name, () => {
  let pool: IgnitePool;
  beforeAll(async () => {
    pool = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN });
    await pool.connect();
  });
  afterAll(() => pool?.close());

  it("reads how long the server's token cache keeps an entry", async () => {
    expect(await igniteTokenTtlSeconds(pool)).toBe(3600);
  });

  it('accepts tokens that live no longer than that, and names the fix for longer ones', async () => {
    expect(await tokenLifetimeProblem(pool, 3_600_000)).toBeUndefined();
    expect(await tokenLifetimeProblem(pool, 300)).toBeUndefined();
    expect(await tokenLifetimeProblem(pool, 7_200_000)).toBe(
      'is 7200 s, but Ignite drops tokens after 3600 s (its mlrun.ignite.tokenTtlSeconds): ' +
        'tokens would stop working early. Lower MLRUN_TOKEN_TTL, or start Ignite with a ' +
        'longer token TTL',
    );
  });
});

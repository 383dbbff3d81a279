import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

import { runKeyvStoreSuite } from '../testing/keyv-test-suite';
import { IgniteKeyvStore } from './ignite-keyv-store';
import { IgnitePool } from './ignite-pool';

// Needs the platform Ignite of tools/services/ignite/up.sh (REAL_COMPONENTS, with its login).
// The suite clears its store between cases: a cache of its own, nothing else lives there.
const CACHE = 'mlrun-int-spec-keyv';

describe(`${IgniteKeyvStore.name} on a real Ignite`, () => {
  const pool = new IgnitePool({
    endpoints: [REAL_COMPONENTS.igniteEndpoints],
    credentials: platformIgniteLogin(),
    poolSize: 1,
  });

  beforeAll(async () => {
    await pool.connect();
    await pool.createCache(CACHE);
  });
  afterAll(async () => {
    await pool.cache(CACHE).clear();
    pool.close();
  });

  runKeyvStoreSuite(() => new IgniteKeyvStore(pool.cache(CACHE)));
});

import { randomUUID } from 'node:crypto';

import { IgnitePool } from '@ml-run/ignite';
import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

import {
  outcomeFor,
  pendingRecord,
  predictionResultsContract,
} from '../testing/prediction-results-contract-suite';
import { IgnitePredictionResults, PREDICTIONS_CACHE } from './ignite-prediction-results';

// Needs the platform Ignite of tools/services/ignite/up.sh. Every test writes under its own
// key prefix and removes it afterwards, so runs never see each other.
const ENDPOINT = REAL_COMPONENTS.igniteEndpoints;
const LOGIN = platformIgniteLogin();

describe(IgnitePredictionResults.name, () => {
  let pool: IgnitePool;
  let otherPool: IgnitePool;

  const removePrefix = async (prefix: string) => {
    const cache = pool.cache(PREDICTIONS_CACHE);
    await cache.removeAll([...(await cache.scan(prefix)).keys()]);
  };

  beforeAll(async () => {
    pool = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN });
    otherPool = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN, poolSize: 1 });
    await Promise.all([pool.connect(), otherPool.connect()]);
    await new IgnitePredictionResults(pool, { sweepIntervalMs: 0 }).ensureCache();
  });
  afterAll(() => {
    pool.close();
    otherPool.close();
  });

  predictionResultsContract('as PredictionResults', () => {
    const keyPrefix = `int-spec/predictions/${randomUUID()}/`;
    return Promise.resolve({
      open: (clock) =>
        new IgnitePredictionResults(pool, { keyPrefix, sweepIntervalMs: 0, now: clock.now }),
      dispose: () => removePrefix(keyPrefix),
    });
  });

  describe('shared by two routers', () => {
    const keyPrefix = `int-spec/predictions/${randomUUID()}/`;
    afterAll(() => removePrefix(keyPrefix));

    it('settles each id once when both routers get every outcome twice', async () => {
      const a = new IgnitePredictionResults(pool, { keyPrefix, sweepIntervalMs: 0 });
      const b = new IgnitePredictionResults(otherPool, { keyPrefix, sweepIntervalMs: 0 });
      const farFuture = new Date(Date.now() + 3_600_000).toISOString();
      const records = Array.from({ length: 20 }, () => pendingRecord({ expiresAt: farFuture }));
      await Promise.all(records.map((r) => a.accept(r)));
      const results = await Promise.all(
        records.flatMap((r) => [
          a.settle(outcomeFor(r, { output: 'a' })),
          b.settle(outcomeFor(r, { output: 'b' })),
          a.settle(outcomeFor(r, { output: 'a2' })),
          b.settle(outcomeFor(r, { output: 'b2' })),
        ]),
      );
      expect(results.filter((r) => r.kind === 'settled')).toHaveLength(records.length);
      expect(results.filter((r) => r.kind === 'duplicate')).toHaveLength(records.length * 3);
      for (const record of records) {
        expect(await b.get(record.id)).toEqual(await a.get(record.id));
      }
    });

    it('sweeps expired records and keeps live ones', async () => {
      const sweepPrefix = `${keyPrefix}sweep/`;
      const sut = new IgnitePredictionResults(pool, { keyPrefix: sweepPrefix, sweepIntervalMs: 0 });
      const past = new Date(Date.now() - 1000).toISOString();
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const live = pendingRecord({ expiresAt: future });
      await sut.accept(pendingRecord({ expiresAt: past }));
      await sut.accept(live);
      expect(await sut.sweep()).toBe(1);
      expect([...(await pool.cache(PREDICTIONS_CACHE).scan(sweepPrefix)).keys()]).toEqual([
        `${sweepPrefix}${live.id}`,
      ]);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';

import { IgnitePool } from '@ml-run/ignite';
import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

import { registryStoreContract, versionRecord } from '../testing/registry-store-contract-suite';
import { IgniteRegistryStore, REGISTRY_CACHE } from './ignite-registry-store';

// Needs the platform Ignite of tools/services/ignite/up.sh (REAL_COMPONENTS, with its login). Every test writes
// under its own key prefix and removes it afterwards, so runs never see each other.
const ENDPOINT = REAL_COMPONENTS.igniteEndpoints;
const LOGIN = platformIgniteLogin();

describe(IgniteRegistryStore.name, () => {
  let pool: IgnitePool;
  let otherPool: IgnitePool;

  const removePrefix = async (prefix: string) => {
    const cache = pool.cache(REGISTRY_CACHE);
    await cache.removeAll([...(await cache.scan(prefix)).keys()]);
  };

  beforeAll(async () => {
    pool = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN });
    otherPool = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN, poolSize: 1 });
    await Promise.all([pool.connect(), otherPool.connect()]);
  });
  afterAll(() => {
    pool.close();
    otherPool.close();
  });

  registryStoreContract('as a RegistryStore', async () => {
    const keyPrefix = `int-spec/registry/${randomUUID()}/`;
    return {
      open: () => new IgniteRegistryStore(pool, { keyPrefix }),
      dispose: () => removePrefix(keyPrefix),
    };
  });

  describe('with two builders on one cache', () => {
    const keyPrefix = `int-spec/registry/${randomUUID()}/`;
    let a: IgniteRegistryStore;
    let b: IgniteRegistryStore;

    beforeEach(() => {
      a = new IgniteRegistryStore(pool, { keyPrefix });
      b = new IgniteRegistryStore(otherPool, { keyPrefix });
    });
    afterEach(() => removePrefix(keyPrefix));

    it('loses no alias update when both update the same model at once', async () => {
      const names = Array.from({ length: 40 }, (_, i) => `alias-${i}`);
      await Promise.all(
        names.map((alias, i) =>
          (i % 2 ? a : b).updateAliases('iris', (current) => ({
            ...current,
            [alias]: { versions: [{ version: `v${i}`, weight: 100 }] },
          })),
        ),
      );
      expect(Object.keys(await a.getAliases('iris')).sort()).toEqual([...names].sort());
      expect(await b.getAliases('iris')).toEqual(await a.getAliases('iris'));
    });

    it('loses no version and no model when both upload at once', async () => {
      const uploads = Array.from({ length: 20 }, (_, i) =>
        versionRecord(
          i % 4 ? 'iris' : 'echo',
          `1.0.${i}+aaaaaaaaaaaa`,
          `2026-01-01T00:00:${10 + i}Z`,
        ),
      );
      await Promise.all(uploads.map((record, i) => (i % 2 ? a : b).putVersion(record)));
      expect(await b.listModels()).toEqual(['echo', 'iris']);
      expect((await a.listVersions('iris')).map((v) => v.version)).toEqual(
        uploads.filter((u) => u.name === 'iris').map((u) => u.version),
      );
    });

    it('loses no desired deployment when both record some at once', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).setDesiredDeployment('iris', `v${i}`, {
            name: 'iris',
            version: `v${i}`,
            target: 'process',
            replicas: 1,
            updatedAt: 'now',
          }),
        ),
      );
      expect(await a.listDesiredDeployments()).toHaveLength(20);
    });

    it('treats an unreadable entry as absent, as the file store does', async () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      await pool.cache(REGISTRY_CACHE).put(`${keyPrefix}aliases/iris`, '{');
      expect(await a.getAliases('iris')).toEqual({});
      const stable = { stable: { versions: [{ version: 'v', weight: 100 }] } };
      expect(await a.updateAliases('iris', () => stable)).toEqual(stable);
      expect(await b.getAliases('iris')).toEqual(stable);
    });

    it('keeps its keys under its prefix, values as JSON', async () => {
      await a.putVersion(versionRecord('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
      const stored = await pool.cache(REGISTRY_CACHE).scan(keyPrefix);
      expect([...stored.keys()].sort()).toEqual(
        ['models', 'version/iris/1.0.0+aaaaaaaaaaaa', 'versions/iris'].map((k) => keyPrefix + k),
      );
      expect(JSON.parse(stored.get(`${keyPrefix}models`) ?? '')).toEqual(['iris']);
    });
  });
});

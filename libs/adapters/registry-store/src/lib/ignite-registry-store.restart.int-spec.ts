import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';

import { until } from '@ml-run/async/testing';
import { IgnitePool, IgniteTokenStore, IgniteUnavailableError, TOKENS_CACHE } from '@ml-run/ignite';
import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';
import { TokenRecordMac } from '@ml-run/token-store';

import { versionRecord } from '../testing/registry-store-contract-suite';
import { IgniteRegistryStore, REGISTRY_CACHE } from './ignite-registry-store';

// Stops and restarts the shared Ignite of tools/services/ignite (other suites using it at
// the same moment see it go away): the pool must fail fast while it is down, reconnect by
// itself, and find the tokens and the registry again (persistent region). Ignite is
// always brought back up, even when a step fails.
const ENDPOINT = REAL_COMPONENTS.igniteEndpoints;
const LOGIN = platformIgniteLogin();
const SCRIPTS = path.resolve(__dirname, '../../../../../tools/services/ignite');
const run = promisify(execFile);
const script = (name: 'up.sh' | 'down.sh') =>
  run(path.join(SCRIPTS, name), [], { timeout: 180_000 }).then(({ stdout }) => stdout.trim());

jest.setTimeout(300_000);

describe(`${IgniteRegistryStore.name} across an Ignite restart`, () => {
  const prefix = `int-spec/restart/${randomUUID()}/`;
  const tokenHash = `${prefix}token`;
  const token = { sub: 'ada', scope: ['models:read'], iat: 1, exp: Date.now() / 1000 + 3600 };
  const stable = { stable: { versions: [{ version: '1.0.0+aaaaaaaaaaaa', weight: 100 }] } };
  let pool: IgnitePool;
  let tokens: IgniteTokenStore;
  let registry: IgniteRegistryStore;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    pool = new IgnitePool({
      endpoints: [ENDPOINT],
      credentials: LOGIN,
      operationTimeoutMs: 3_000,
      reconnectBackoff: { initialMs: 100, maxMs: 1_000, resetAfterMs: 30_000 },
    });
    await pool.connect();
    // No L1: every read below must reach Ignite.
    const mac = new TokenRecordMac(`restart-int-spec-${randomUUID()}`);
    tokens = new IgniteTokenStore(pool, { mac });
    registry = new IgniteRegistryStore(pool, { keyPrefix: prefix });
  });

  afterAll(async () => {
    await script('up.sh');
    try {
      await until(() => pool.stats.up > 0, 30_000);
      const cache = pool.cache(REGISTRY_CACHE);
      await cache.removeAll([...(await cache.scan(prefix)).keys()]);
      await pool.cache(TOKENS_CACHE).remove(tokenHash);
    } finally {
      pool.close();
      jest.restoreAllMocks();
    }
  });

  it('fails fast while Ignite is down, then reconnects by itself and finds the data', async () => {
    await tokens.put(tokenHash, token);
    await registry.putVersion(
      versionRecord('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'),
    );
    await registry.updateAliases('iris', () => stable);

    let started = Date.now();
    await script('down.sh');
    const downMs = Date.now() - started;
    await until(() => pool.stats.up === 0, 10_000);
    expect(warn).toHaveBeenCalledWith(expect.anything(), 'ignite connection lost');

    started = Date.now();
    await expect(tokens.get(tokenHash)).rejects.toBeInstanceOf(IgniteUnavailableError);
    await expect(registry.getAliases('iris')).rejects.toThrow(
      `no connection to Ignite at ${ENDPOINT}; reconnecting`,
    );
    const failFastMs = Date.now() - started;
    // Waiting on the reconnect would take seconds; a loaded machine may take some ms.
    expect(failFastMs).toBeLessThan(1_000);

    started = Date.now();
    const back = until(() => pool.stats.up === 2, 120_000).then(() => Date.now() - started);
    await script('up.sh');
    const upMs = Date.now() - started;
    const reconnectMs = await back;

    expect(await tokens.get(tokenHash)).toEqual(token);
    expect(await registry.listModels()).toEqual(['iris']);
    expect(await registry.listVersions('iris')).toHaveLength(1);
    expect(await registry.getAliases('iris')).toEqual(stable);
    process.stdout.write(
      `ignite restart: down.sh ${downMs} ms, fail-fast ${failFastMs} ms for 2 calls, pool back ${reconnectMs} ms after up.sh started (which took ${upMs} ms)\n`,
    );
  });
});

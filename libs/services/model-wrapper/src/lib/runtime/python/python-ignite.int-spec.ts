// ctx.ignite for python models against the real Ignite (npm run services:up -- ignite), with
// pyignite installed (tools/ci/ensure-python-deps.sh).
import * as path from 'node:path';
import IgniteClient from 'apache-ignite-client';

import { until } from '@ml-run/async/testing';
import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

import { TcpProxy, TEST_IGNITE_ENDPOINT } from '../../../testing/tcp-proxy';
import { RuntimeError, RuntimeErrorCode } from '../runtime.errors';
import type { WorkerPool } from '../worker/worker-pool';
import { pythonRuntime } from './python-runtime';

const MODEL_DIR = path.resolve(__dirname, '../../../../fixtures/python/ignite-ctx');
const PLATFORM_CACHES = ['mlrun-registry', 'mlrun-settings', 'mlrun-tokens'];

async function platformCacheNames(): Promise<string[]> {
  const { userName, password } = platformIgniteLogin();
  const client = new IgniteClient();
  const config = new IgniteClient.IgniteClientConfiguration(REAL_COMPONENTS.igniteEndpoints);
  await client.connect(config.setUserName(userName).setPassword(password));
  try {
    return (await client.cacheNames()) as string[];
  } finally {
    client.disconnect();
  }
}

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

function runtime(igniteEndpoints: string[], workers = 1): WorkerPool {
  return pythonRuntime({
    modelDir: MODEL_DIR,
    entry: 'model.py',
    coefficientsDir: path.join(MODEL_DIR, 'coefficients'),
    config: {},
    initTimeoutMs: 20_000,
    workers,
    igniteEndpoints,
    logger: quiet,
  });
}

describe('python model with ctx.ignite (real Ignite)', () => {
  const proxy = new TcpProxy(TEST_IGNITE_ENDPOINT);

  beforeAll(() => proxy.start());
  afterAll(() => proxy.cut());

  it('gets a connected pyignite client in every worker, closed when the workers stop', async () => {
    const sut = runtime([proxy.endpoint], 2);
    try {
      await sut.start();
      await expect(sut.predict('describe')).resolves.toContain('"type": "pyignite.client.Client"');
      await expect(sut.predict('sql 21')).resolves.toBe('42');
      expect(proxy.connections).toBe(2);
    } finally {
      await sut.stop();
    }
    await until(() => proxy.connections === 0, 10_000);
  });

  // The model plays the attacker: it looks for the platform's stores through ctx.ignite.
  it("reaches a cluster of one node without the platform's caches", async () => {
    const sut = runtime([proxy.endpoint]);
    try {
      await sut.start();
      expect(await sut.predict('nodes')).toBe('1');
      const caches = JSON.parse(await sut.predict('caches')) as string[];
      expect(caches.filter((name) => PLATFORM_CACHES.includes(name))).toEqual([]);
    } finally {
      await sut.stop();
    }
  });

  it("cannot log in to the platform's Ignite when pointed at it", async () => {
    // Control: the platform's Ignite is up and holds its stores (a login sees them).
    const caches = await platformCacheNames();
    expect(PLATFORM_CACHES.filter((name) => caches.includes(name))).toEqual(PLATFORM_CACHES);
    const sut = runtime([REAL_COMPONENTS.igniteEndpoints]);
    const error = await sut.start().then(
      () => sut.stop().then(() => undefined),
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: RuntimeErrorCode.InitFailed,
      message: expect.stringMatching(/cannot connect to Ignite at .*authenticat/i),
    });
  });

  it('fails init naming the endpoints, and why, when Ignite is unreachable', async () => {
    const sut = runtime(['127.0.0.1:1']);
    const error = await sut.start().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error).toMatchObject({
      code: RuntimeErrorCode.InitFailed,
      message:
        'IgniteUnavailableError: cannot connect to Ignite at 127.0.0.1:1 (MLRUN_MODEL_IGNITE_ENDPOINTS): ' +
        'ReconnectError: Can not connect. (127.0.0.1:1: Connection refused)',
    });
  });
});

// ctx.ignite for node models against the real Ignite (npm run services:up -- ignite).
import path from 'node:path';
import { ConsoleLogger, Logger } from '@nestjs/common';
import IgniteClient from 'apache-ignite-client';

import { until } from '@ml-run/async/testing';
import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';
import type { ServiceApp } from '@ml-run/server';

import { FIXTURES, startTestWrapper } from '../../../../testing/start-test-wrapper';
import { TcpProxy, TEST_IGNITE_ENDPOINT } from '../../../../testing/tcp-proxy';
import { ModelIgniteConnection } from './model-ignite';

const IGNITE_KV = path.join(FIXTURES, 'node/ignite-kv');
const PLATFORM_CACHES = ['mlrun-registry', 'mlrun-settings', 'mlrun-tokens'];

// What a platform service with the login sees: the node count and which stores exist.
async function platformProbe(): Promise<{ nodes: number; has: string[] }> {
  const { userName, password } = platformIgniteLogin();
  const client = new IgniteClient();
  const config = new IgniteClient.IgniteClientConfiguration(REAL_COMPONENTS.igniteEndpoints);
  await client.connect(config.setUserName(userName).setPassword(password));
  try {
    const names = (await client.cacheNames()) as string[];
    const query = new IgniteClient.SqlFieldsQuery('SELECT COUNT(*) FROM SYS.NODES');
    const cursor = await client.getCache('mlrun-settings').query(query.setSchema('PUBLIC'));
    const [[nodes]] = (await cursor.getAll()) as unknown as [[number]];
    return { nodes: Number(nodes), has: PLATFORM_CACHES.filter((name) => names.includes(name)) };
  } finally {
    client.disconnect();
  }
}
const WAIT_MS = 10_000;

function predict(app: ServiceApp, payload: string) {
  return app.inject({ method: 'POST', url: '/v1/predict', payload });
}

describe('node model with ctx.ignite (real Ignite)', () => {
  const proxy = new TcpProxy(TEST_IGNITE_ENDPOINT);

  beforeAll(() => proxy.start());
  afterAll(() => proxy.cut());

  describe('through the wrapper HTTP API', () => {
    let sut: ServiceApp;

    beforeAll(async () => {
      const wrapper = await startTestWrapper(IGNITE_KV, {
        MLRUN_MODEL_IGNITE_ENDPOINTS: proxy.endpoint,
      });
      sut = wrapper.app;
      await wrapper.initialized;
    });
    afterAll(() => sut.close());

    it('is READY: init put the greeting, the self-test got it back', async () => {
      const res = await sut.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(200);
      expect(proxy.connections).toBe(1);
    });

    it('answers with what predict puts and gets through ctx.ignite', async () => {
      const key = `k${Date.now()}`;
      expect((await predict(sut, `get ${key}`)).body).toBe('(none)');
      expect((await predict(sut, `put ${key}=v1`)).body).toBe('ok');
      const res = await predict(sut, `get ${key}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('v1');
    });

    it('runs SQL with the query class the client carries', async () => {
      const res = await predict(sut, 'sql 21');
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('42');
    });

    // The model plays the attacker: it looks for the platform's stores through ctx.ignite.
    it("reaches a cluster of one node without the platform's caches", async () => {
      // Control: the same probes, on the platform's Ignite, find its stores.
      expect(await platformProbe()).toEqual({ nodes: 1, has: PLATFORM_CACHES });
      expect((await predict(sut, 'nodes')).body).toBe('1');
      const caches = JSON.parse((await predict(sut, 'caches')).body) as string[];
      expect(caches).toContain('mlrun-test-ignite-kv');
      expect(caches.filter((name) => PLATFORM_CACHES.includes(name))).toEqual([]);
    });
  });

  it("cannot log in to the platform's Ignite when pointed at it", async () => {
    const { app, initialized } = await startTestWrapper(IGNITE_KV, {
      MLRUN_MODEL_IGNITE_ENDPOINTS: REAL_COMPONENTS.igniteEndpoints,
    });
    await initialized;
    const info = await app.inject({ method: 'GET', url: '/v1/model' });
    await app.close();
    expect(info.json()).toMatchObject({
      state: 'INIT_FAILED',
      error: {
        message: expect.stringMatching(
          /cannot connect to Ignite at .*user name or password is incorrect/,
        ),
      },
    });
  });

  it('disconnects at shutdown', async () => {
    const { app, initialized } = await startTestWrapper(IGNITE_KV, {
      MLRUN_MODEL_IGNITE_ENDPOINTS: proxy.endpoint,
    });
    await initialized;
    const before = proxy.connections;
    await app.close();
    await until(() => proxy.connections === before - 1, WAIT_MS);
  });

  it('fails INIT_FAILED naming the endpoints when Ignite is unreachable', async () => {
    const { app, initialized } = await startTestWrapper(IGNITE_KV, {
      MLRUN_MODEL_IGNITE_ENDPOINTS: '127.0.0.1:1',
    });
    await initialized;
    const readyz = await app.inject({ method: 'GET', url: '/readyz' });
    // Checks are off here, so /v1/model shows why init failed (docs/security.md).
    const info = await app.inject({ method: 'GET', url: '/v1/model' });
    await app.close();
    expect(readyz.statusCode).toBe(503);
    expect(info.json()).toMatchObject({
      state: 'INIT_FAILED',
      error: {
        code: 'INIT_FAILED',
        message: expect.stringMatching(
          /^cannot connect to Ignite at 127\.0\.0\.1:1 \(MLRUN_MODEL_IGNITE_ENDPOINTS\): .*ECONNREFUSED/,
        ),
      },
    });
  });

  describe(ModelIgniteConnection.name, () => {
    beforeAll(() => Logger.overrideLogger(false));
    afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

    it('reconnects the same client after an outage', async () => {
      const outage = new TcpProxy(TEST_IGNITE_ENDPOINT);
      await outage.start();
      const sut = new ModelIgniteConnection([outage.endpoint], { backoff: { initialMs: 50 } });
      try {
        await sut.open(5_000);
        const cache = await sut.client.getOrCreateCache('mlrun-test-ignite-kv');
        await cache.put('outage', 'before');
        await outage.cut();
        await until(
          () =>
            cache.get('outage').then(
              () => false,
              () => true,
            ),
          WAIT_MS,
        );
        await outage.start();
        await until(
          () =>
            cache.get('outage').then(
              (value) => value === 'before',
              () => false,
            ),
          WAIT_MS,
        );
        expect(outage.connections).toBe(1);
      } finally {
        sut.close();
        await outage.cut();
      }
    });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ModelIgniteCache, ModelIgniteClient, ModelLogger } from '@ml-run/model-contract';

import type { IgniteConnection, IgniteConnector } from './model-ignite';
import { NodeWorker } from './node-worker';

const FIXTURES = path.resolve(__dirname, '../../../../../fixtures/node');
const IGNITE_KV = path.join(FIXTURES, 'ignite-kv');
const CONFIG = { CACHE: 'kv', GREETING: 'hi' };
const ignore = () => undefined;
const quiet: ModelLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

// An in-memory stand-in for apache-ignite-client: key-value only.
function fakeIgnite(): { client: ModelIgniteClient; caches: Map<string, Map<unknown, unknown>> } {
  const caches = new Map<string, Map<unknown, unknown>>();
  const cache = (name: string): ModelIgniteCache => {
    const entries = caches.get(name) ?? new Map<unknown, unknown>();
    caches.set(name, entries);
    return {
      get: async (key) => entries.get(key) ?? null,
      put: async (key, value) => void entries.set(key, value),
      containsKey: async (key) => entries.has(key),
      removeKey: async (key) => entries.delete(key),
      query: async () => Promise.reject(new Error('no SQL in the fake')),
    };
  };
  const client = {
    getCache: cache,
    getOrCreateCache: async (name: string) => cache(name),
    getCacheNames: async () => [...caches.keys()],
  } as unknown as ModelIgniteClient;
  return { client, caches };
}

type FakeConnector = IgniteConnector & { calls: unknown[][]; closed: number };

function connector(outcome: ModelIgniteClient | Error): FakeConnector {
  const fake = (async (endpoints: readonly string[], timeoutMs: number) => {
    fake.calls.push([endpoints, timeoutMs]);
    if (outcome instanceof Error) throw outcome;
    const connection: IgniteConnection = { client: outcome, close: () => void fake.closed++ };
    return connection;
  }) as FakeConnector;
  fake.calls = [];
  fake.closed = 0;
  return fake;
}

function initRequest(overrides: Record<string, unknown> = {}) {
  return {
    id: 1,
    op: 'init',
    modelDir: IGNITE_KV,
    entry: 'model.js',
    coefficientsDir: path.join(IGNITE_KV, 'coefficients'),
    config: CONFIG,
    initTimeoutMs: 5_000,
    ...overrides,
  };
}

const predict = (id: number, input: unknown) => ({ id, op: 'predict', input });

describe(NodeWorker.name, () => {
  describe('with Ignite endpoints in the init request', () => {
    it('connects before init and hands the client to init as ctx.ignite', async () => {
      const ignite = fakeIgnite();
      const connect = connector(ignite.client);
      const sut = new NodeWorker({ connectIgnite: connect, logger: quiet });
      const endpoints = ['10.0.0.1:10800', '10.0.0.2:10800'];
      expect(await sut.handle(initRequest({ igniteEndpoints: endpoints }))).toEqual({
        id: 1,
        ok: true,
      });
      expect(connect.calls).toEqual([[endpoints, 5_000]]);
      expect(ignite.caches.get('kv')?.get('greeting')).toBe('hi');
      expect(await sut.handle(predict(2, 'put colour=green'))).toEqual({
        id: 2,
        ok: true,
        output: 'ok',
      });
      expect(await sut.handle(predict(3, 'get colour'))).toMatchObject({ output: 'green' });
      sut.close();
      expect(connect.closed).toBe(1);
    });

    it('waits at most 10 s for Ignite, less when init has less', async () => {
      const connect = connector(fakeIgnite().client);
      const options = { connectIgnite: connect, logger: quiet };
      await new NodeWorker(options).handle(
        initRequest({ igniteEndpoints: ['a:1'], initTimeoutMs: 60_000 }),
      );
      await new NodeWorker(options).handle(
        initRequest({ igniteEndpoints: ['a:1'], initTimeoutMs: 2_000 }),
      );
      expect(connect.calls.map(([, ms]) => ms)).toEqual([10_000, 2_000]);
    });

    it('fails init naming the endpoints when Ignite is unreachable, before init runs', async () => {
      const connect = connector(new Error('[a:1] Connection failed: ECONNREFUSED'));
      const sut = new NodeWorker({ connectIgnite: connect, logger: quiet });
      const reply = await sut.handle(initRequest({ igniteEndpoints: ['a:1', 'b:2'] }));
      expect(reply).toMatchObject({
        ok: false,
        error: {
          type: '',
          message:
            'cannot connect to Ignite at a:1, b:2 (MLRUN_MODEL_IGNITE_ENDPOINTS): [a:1] Connection failed: ECONNREFUSED',
        },
      });
      expect(await sut.handle(predict(2, 'get greeting'))).toMatchObject({
        ok: false,
        error: { message: 'predict before init' },
      });
    });

    it('disconnects when init fails', async () => {
      const refusing = {
        ...fakeIgnite().client,
        getOrCreateCache: () => Promise.reject(new Error('cache refused')),
      } as unknown as ModelIgniteClient;
      const connect = connector(refusing);
      const sut = new NodeWorker({ connectIgnite: connect, logger: quiet });
      const reply = await sut.handle(initRequest({ igniteEndpoints: ['a:1'] }));
      expect(reply).toMatchObject({
        ok: false,
        error: { type: 'Error', message: 'cache refused' },
      });
      expect(connect.closed).toBe(1);
    });

    it('does not connect for a model without init', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'mlrun-node-'));
      writeFileSync(path.join(dir, 'model.js'), 'exports.predict = (input) => input;\n');
      try {
        const connect = connector(new Error('must not be called'));
        const sut = new NodeWorker({ connectIgnite: connect, logger: quiet });
        const init = initRequest({ modelDir: dir, igniteEndpoints: ['a:1'] });
        expect(await sut.handle(init)).toEqual({ id: 1, ok: true });
        expect(await sut.handle(predict(2, 'x'))).toEqual({ id: 2, ok: true, output: 'x' });
        expect(connect.calls).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('gives init ctx.ignite null and connects nothing without endpoints', async () => {
    const connect = connector(fakeIgnite().client);
    const sut = new NodeWorker({ connectIgnite: connect, logger: quiet });
    expect(await sut.handle(initRequest())).toMatchObject({
      ok: false,
      error: { type: 'Error', message: 'ignite-kv needs Ignite, but ctx.ignite is null' },
    });
    expect(connect.calls).toEqual([]);
  });

  it('refuses a second init, an unknown op and an input that is not a string', async () => {
    const sut = new NodeWorker({ logger: quiet });
    const dir = path.join(FIXTURES, 'slow-init');
    expect(await sut.handle(initRequest({ modelDir: dir }))).toEqual({ id: 1, ok: true });
    expect(await sut.handle(initRequest({ id: 2, modelDir: dir }))).toMatchObject({
      ok: false,
      error: { message: 'worker is already initialized' },
    });
    expect(await sut.handle({ id: 3, op: 'train' })).toMatchObject({
      ok: false,
      error: { type: 'TypeError', message: 'unknown op "train"' },
    });
    expect(await sut.handle(predict(4, 42))).toMatchObject({
      ok: false,
      error: { type: 'TypeError', message: 'input must be a string, got number' },
    });
  });
});

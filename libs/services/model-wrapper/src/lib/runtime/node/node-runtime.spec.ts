import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConsoleLogger, Logger } from '@nestjs/common';

import type { ModelIgniteCache, ModelIgniteClient } from '@ml-run/model-contract';

import { failure } from '../../../testing/async-checks';
import { RuntimeErrorCode } from '../runtime.errors';
import type { IgniteConnection, IgniteConnector } from './model-ignite';
import { NodeRuntime, type NodeRuntimeOptions } from './node-runtime';

const FIXTURES = path.resolve(__dirname, '../../../../fixtures/node');
const IGNITE_KV = path.join(FIXTURES, 'ignite-kv');
const CONFIG = { CACHE: 'kv', GREETING: 'hi' };

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

function runtime(overrides: Partial<NodeRuntimeOptions> = {}): NodeRuntime {
  return new NodeRuntime({
    modelDir: IGNITE_KV,
    entry: 'model.js',
    coefficientsDir: path.join(IGNITE_KV, 'coefficients'),
    config: CONFIG,
    initTimeoutMs: 5_000,
    workers: 1,
    ...overrides,
  });
}

describe(NodeRuntime.name, () => {
  // The model's ctx.logger lines would clutter the test output.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  describe('with MLRUN_MODEL_IGNITE_ENDPOINTS', () => {
    it('connects before init and hands the client to init as ctx.ignite', async () => {
      const ignite = fakeIgnite();
      const connect = connector(ignite.client);
      const sut = runtime({
        igniteEndpoints: ['10.0.0.1:10800', '10.0.0.2:10800'],
        connectIgnite: connect,
      });
      await sut.start();
      expect(connect.calls).toEqual([[['10.0.0.1:10800', '10.0.0.2:10800'], 5_000]]);
      expect(ignite.caches.get('kv')?.get('greeting')).toBe('hi');
      await expect(sut.predict('put colour=green')).resolves.toBe('ok');
      await expect(sut.predict('get colour')).resolves.toBe('green');
      await sut.stop();
    });

    it('waits at most 10 s for Ignite, less when init has less', async () => {
      const connect = connector(fakeIgnite().client);
      await runtime({
        igniteEndpoints: ['a:1'],
        connectIgnite: connect,
        initTimeoutMs: 60_000,
      }).start();
      await runtime({
        igniteEndpoints: ['a:1'],
        connectIgnite: connect,
        initTimeoutMs: 2_000,
      }).start();
      expect(connect.calls.map(([, ms]) => ms)).toEqual([10_000, 2_000]);
    });

    it('fails with InitFailed naming the endpoints when Ignite is unreachable, before init', async () => {
      const connect = connector(new Error('[a:1] Connection failed: ECONNREFUSED'));
      const sut = runtime({ igniteEndpoints: ['a:1', 'b:2'], connectIgnite: connect });
      const error = await failure(sut.start());
      expect(error.code).toBe(RuntimeErrorCode.InitFailed);
      expect(error.message).toBe(
        'cannot connect to Ignite at a:1, b:2 (MLRUN_MODEL_IGNITE_ENDPOINTS): [a:1] Connection failed: ECONNREFUSED',
      );
      expect((await failure(sut.predict('get greeting'))).code).toBe(
        RuntimeErrorCode.NoWorkerAvailable,
      );
    });

    it('disconnects at stop, once', async () => {
      const connect = connector(fakeIgnite().client);
      const sut = runtime({ igniteEndpoints: ['a:1'], connectIgnite: connect });
      await sut.start();
      expect(connect.closed).toBe(0);
      await sut.stop();
      await sut.stop();
      expect(connect.closed).toBe(1);
    });

    it('disconnects when init fails', async () => {
      const refusing = {
        ...fakeIgnite().client,
        getOrCreateCache: () => Promise.reject(new Error('cache refused')),
      } as unknown as ModelIgniteClient;
      const connect = connector(refusing);
      const sut = runtime({ igniteEndpoints: ['a:1'], connectIgnite: connect });
      const error = await failure(sut.start());
      expect(error).toMatchObject({
        code: RuntimeErrorCode.InitFailed,
        message: 'Error: cache refused',
      });
      expect(connect.closed).toBe(1);
    });

    it('does not connect for a model without init', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'mlrun-node-'));
      writeFileSync(path.join(dir, 'model.js'), 'exports.predict = (input) => input;\n');
      try {
        const connect = connector(new Error('must not be called'));
        const sut = runtime({ modelDir: dir, igniteEndpoints: ['a:1'], connectIgnite: connect });
        await sut.start();
        await expect(sut.predict('x')).resolves.toBe('x');
        expect(connect.calls).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('without MLRUN_MODEL_IGNITE_ENDPOINTS', () => {
    it('gives init ctx.ignite null and connects nothing', async () => {
      const connect = connector(fakeIgnite().client);
      const error = await failure(runtime({ connectIgnite: connect }).start());
      expect(error.message).toBe('Error: ignite-kv needs Ignite, but ctx.ignite is null');
      expect(connect.calls).toEqual([]);
    });
  });
});

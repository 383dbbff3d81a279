import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Logger } from '@nestjs/common';

import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

import { IgnitePool, type IgnitePoolOptions } from './ignite-pool';
import { IgniteUnavailableError } from './ignite.errors';

// Needs the platform Ignite of tools/services/ignite/up.sh (REAL_COMPONENTS, with its login).
const ENDPOINT = REAL_COMPONENTS.igniteEndpoints;
const LOGIN = platformIgniteLogin();
const CACHE = 'mlrun-registry';

// A stand-in server on a free port: accepts TCP, then does what the test needs.
async function fakeServer(onSocket: (socket: net.Socket) => void) {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `127.0.0.1:${port}`,
    connections: () => sockets.length,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Protocol 1.2 handshake success: int32 length 1, then status byte 1.
const HANDSHAKE_OK = Buffer.from([1, 0, 0, 0, 1]);

describe(IgnitePool.name, () => {
  const pools: IgnitePool[] = [];
  const newPool = (options: IgnitePoolOptions) => {
    const pool = new IgnitePool(options);
    pools.push(pool);
    return pool;
  };

  beforeEach(() => {
    for (const level of ['warn', 'log', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
  });
  afterEach(() => {
    for (const pool of pools.splice(0)) pool.close();
    jest.restoreAllMocks();
  });

  it('rejects connect naming the endpoints when nothing listens there', async () => {
    const sut = newPool({ endpoints: ['127.0.0.1:1'], connectTimeoutMs: 2_000 });
    const connecting = sut.connect();
    await expect(connecting).rejects.toThrow(IgniteUnavailableError);
    await expect(connecting).rejects.toThrow(/cannot connect to Ignite at 127\.0\.0\.1:1: /);
  });

  it('rejects connect after the timeout when the handshake gets no answer', async () => {
    const server = await fakeServer(() => undefined);
    const sut = newPool({ endpoints: [server.endpoint], connectTimeoutMs: 300 });
    const started = Date.now();
    await expect(sut.connect()).rejects.toThrow(
      `cannot connect to Ignite at ${server.endpoint}: no connection within 300 ms`,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    await server.close();
  });

  it('fails fast before connect and after close', async () => {
    const sut = newPool({ endpoints: [ENDPOINT], credentials: LOGIN });
    await expect(sut.cache(CACHE).get('x')).rejects.toThrow('the Ignite pool is not connected');
    await sut.connect();
    sut.close();
    await expect(sut.cache(CACHE).get('x')).rejects.toThrow('the Ignite pool is closed');
  });

  it('fails a request that gets no answer in time and replaces its connection', async () => {
    const server = await fakeServer((socket) => {
      socket.once('data', () => socket.write(HANDSHAKE_OK));
    });
    const sut = newPool({
      endpoints: [server.endpoint],
      poolSize: 1,
      operationTimeoutMs: 300,
      reconnectBackoff: { initialMs: 10, maxMs: 10, resetAfterMs: 1_000 },
    });
    await sut.connect();
    await expect(sut.cache(CACHE).get('x')).rejects.toThrow('Ignite gave no answer within 300 ms');
    expect(sut.stats).toMatchObject({ losses: 1, inFlight: 0 });
    // Reconnected in the background (to the same silent server).
    await waitFor(() => sut.stats.up === 1);
    expect(server.connections()).toBe(2);
    sut.close();
    await server.close();
  });

  describe('against Ignite', () => {
    const N = 5_000;
    const prefix = `int-spec/pool/${randomUUID()}/`;
    const keys = Array.from({ length: N }, (_, i) => `${prefix}k${i}`);
    const valueOf = (key: string) => JSON.stringify({ key, n: key.length });
    let sut: IgnitePool;

    beforeAll(async () => {
      sut = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN });
      await sut.connect();
      const cache = sut.cache(CACHE);
      for (let i = 0; i < N; i += 500) {
        await Promise.all(keys.slice(i, i + 500).map((key) => cache.put(key, valueOf(key))));
      }
    });
    afterAll(async () => {
      await sut.cache(CACHE).removeAll(keys);
      sut.close();
    });

    it('answers 5,000 concurrent gets, each with its own value, without a connection drop', async () => {
      const cache = sut.cache(CACHE);
      const started = performance.now();
      const gets = keys.map((key) => cache.get(key));
      const queuedAtOnce = sut.stats.queued;
      const values = await Promise.all(gets);
      const seconds = (performance.now() - started) / 1000;
      expect(values.filter((value, i) => value !== valueOf(keys[i] ?? ''))).toEqual([]);
      expect(queuedAtOnce).toBe(N - 2 * 1000);
      expect(sut.stats).toMatchObject({ up: 2, inFlight: 0, queued: 0, losses: 0 });
      expect(sut.stats.peakInFlight).toBe(1000);
      process.stdout.write(
        `ignite pool: ${N} concurrent gets in ${seconds.toFixed(3)} s (${Math.round(N / seconds)}/s)\n`,
      );
    });

    it('reads several keys at once, and only the ones that exist', async () => {
      const found = await sut.cache(CACHE).getAll([keys[0] ?? '', `${prefix}missing`]);
      expect([...found.entries()]).toEqual([[keys[0], valueOf(keys[0] ?? '')]]);
    });

    it('compares and sets', async () => {
      const cache = sut.cache(CACHE);
      const key = `${prefix}cas`;
      expect(await cache.putIfAbsent(key, 'a')).toBe(true);
      expect(await cache.putIfAbsent(key, 'b')).toBe(false);
      expect(await cache.replaceIfEquals(key, 'b', 'c')).toBe(false);
      expect(await cache.replaceIfEquals(key, 'a', 'c')).toBe(true);
      expect(await cache.removeIfEquals(key, 'a')).toBe(false);
      expect(await cache.scan(`${prefix}cas`)).toEqual(new Map([[key, 'c']]));
      expect(await cache.remove(key)).toBe(true);
      expect(await cache.get(key)).toBeUndefined();
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

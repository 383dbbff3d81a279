// The worker host (model container) and the socket launch (wrapper container) together, on
// a real unix socket: frames in, answers out, crashes and closed connections.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { until } from '@ml-run/async/testing';

import { failure } from '../../../testing/async-checks';
import { testNodeWorkerScript } from '../../../testing/node-worker-bundle';
import { nodeRuntime } from '../node/node-runtime';
import { pythonRuntime } from '../python/python-runtime';
import { RuntimeErrorCode } from '../runtime.errors';
import type { WorkerPool } from '../worker/worker-pool';
import { encode, RelayDecoder, type FromHost } from './relay-messages';
import { socketLauncher } from './socket-launcher';
import { startWorkerHost, type WorkerHost } from './worker-host';

const FIXTURES = path.resolve(__dirname, '../../../../fixtures');
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

let dir: string;
let socketPath: string;
const hosts: WorkerHost[] = [];
const pools: WorkerPool[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mlrun-workers-'));
  socketPath = path.join(dir, 'workers.sock');
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.stop()));
  await Promise.all(hosts.splice(0).map((host) => host.close({ killWorkers: true })));
  rmSync(dir, { recursive: true, force: true });
});

async function host(): Promise<WorkerHost> {
  const started = await startWorkerHost({ socketPath, oomKills: async () => 0 });
  hosts.push(started);
  return started;
}

function viaSocket(runtime: 'node' | 'python', fixture: string, workers = 1): WorkerPool {
  const launcher = socketLauncher({ socketPath, limits: { memoryBytes: 256 * 1024 * 1024 } });
  const modelDir = path.join(FIXTURES, runtime, fixture);
  const options = {
    modelDir,
    entry: runtime === 'node' ? 'model.js' : 'model.py',
    coefficientsDir: path.join(modelDir, 'coefficients'),
    config: {},
    initTimeoutMs: 20_000,
    workers,
    logger: quiet,
    launcher,
    launch: launcher.spawn,
    backoff: { initialMs: 10 },
  };
  const pool =
    runtime === 'node'
      ? nodeRuntime({ ...options, workerScript: testNodeWorkerScript() })
      : pythonRuntime(options);
  pools.push(pool);
  return pool;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('workers in the model container, through the worker host socket', () => {
  it.each([
    ['node', 'crash'],
    ['python', 'crash'],
  ] as const)('serves %s predicts from workers the host started', async (runtime, fixture) => {
    const workerHost = await host();
    const pool = viaSocket(runtime, fixture, 2);
    await pool.start();
    expect(workerHost.workers()).toBe(2);
    expect(await pool.predict('hello')).toBe('hello');
    expect(pool.sandbox()).toMatchObject({ level: 'container', namespaces: true });
  });

  it('answers the node worker its own pid: a process of the host, not of the wrapper', async () => {
    await host();
    const pool = viaSocket('node', 'crash');
    await pool.start();
    const answered = Number(await pool.predict('pid'));
    expect(pool.workerPids()).toEqual([answered]);
    expect(answered).not.toBe(process.pid);
  });

  it.each(['node', 'python'] as const)(
    'fails only the crashed %s request, then a respawned worker serves',
    async (runtime) => {
      const workerHost = await host();
      const pool = viaSocket(runtime, 'crash');
      await pool.start();
      const error = await failure(pool.predict('die'));
      expect(error.code).toBe(RuntimeErrorCode.WorkerCrashed);
      expect(error.message).toContain('exit code 3');
      await until(() => pool.stats().workers === 1, 20_000);
      expect(pool.stats().restarts).toBe(1);
      expect(await pool.predict('again')).toBe('again');
      expect(workerHost.workers()).toBe(1);
    },
  );

  it('waits for a host that is not listening yet (its container still starting)', async () => {
    const pool = viaSocket('node', 'crash');
    const starting = pool.start();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await host();
    await starting;
    expect(await pool.predict('late')).toBe('late');
  });

  it('sees a lost host as a crash and respawns once it is back', async () => {
    const first = await host();
    const pool = viaSocket('node', 'crash');
    await pool.start();
    await first.close({ killWorkers: true });
    await until(() => pool.stats().workers === 0, 10_000);
    await host();
    await until(() => pool.stats().workers === 1, 20_000);
    expect(await pool.predict('back')).toBe('back');
  });

  it('leaves no worker behind once the pool stops', async () => {
    const workerHost = await host();
    const pool = viaSocket('python', 'crash');
    await pool.start();
    const [pid] = pool.workerPids();
    await pool.stop();
    await until(() => workerHost.workers() === 0 && !isRunning(pid as number), 10_000);
  });

  it('kills the worker when its connection closes', async () => {
    const workerHost = await host();
    const socket = connect(socketPath);
    await once(socket, 'connect');
    const request = {
      command: process.execPath,
      args: ['-e', 'setInterval(() => undefined, 1000)'],
      env: {},
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'] as ('pipe' | 'ignore')[],
    };
    socket.write(encode({ type: 'spawn', request }));
    const decoder = new RelayDecoder();
    const [spawned] = (await once(socket, 'data')).flatMap(
      (chunk: Buffer) => decoder.push(chunk) as FromHost[],
    );
    expect(spawned?.type).toBe('spawned');
    const pid = (spawned as { pid: number }).pid;
    expect(isRunning(pid)).toBe(true);
    socket.destroy();
    await until(() => !isRunning(pid) && workerHost.workers() === 0, 10_000);
  });

  it('fails init with the reason when the worker cannot be started', async () => {
    await host();
    const launcher = socketLauncher({ socketPath, limits: {} });
    const modelDir = path.join(FIXTURES, 'node', 'crash');
    const pool = nodeRuntime({
      modelDir,
      entry: 'model.js',
      coefficientsDir: modelDir,
      config: {},
      initTimeoutMs: 10_000,
      workers: 1,
      logger: quiet,
      launcher,
      launch: launcher.spawn,
      nodeExecutable: path.join(dir, 'no-such-node'),
    });
    pools.push(pool);
    const error = await failure(pool.start());
    expect(error.code).toBe(RuntimeErrorCode.InitFailed);
    expect(error.message).toContain('spawn failed');
    expect(error.message).toContain('ENOENT');
  });
});

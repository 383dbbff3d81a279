import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';

import { until } from '@ml-run/async/testing';

import { failure } from '../../../testing/async-checks';
import { testNodeWorkerScript } from '../../../testing/node-worker-bundle';
import { recordingLogger } from '../../../testing/recording-logger';
import { RuntimeErrorCode } from '../runtime.errors';
import { encodeFrame, FrameDecoder } from '../worker/frame-codec';
import { spawnLaunch, type Launch, type LaunchRequest } from '../worker/launch';
import type { WorkerPool } from '../worker/worker-pool';
import { nodeRuntime, type NodeRuntimeOptions } from './node-runtime';

const FIXTURES = path.resolve(__dirname, '../../../../fixtures/node');

const logger = recordingLogger();
const logs = logger.entries;

const runtimes: WorkerPool[] = [];

function runtime(fixture: string, overrides: Partial<NodeRuntimeOptions> = {}): WorkerPool {
  const modelDir = path.join(FIXTURES, fixture);
  const sut = nodeRuntime({
    modelDir,
    entry: 'model.js',
    coefficientsDir: path.join(modelDir, 'coefficients'),
    config: {},
    initTimeoutMs: 10_000,
    workers: 1,
    logger,
    workerScript: testNodeWorkerScript(),
    ...overrides,
  });
  runtimes.push(sut);
  return sut;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ESRCH');
    return false;
  }
}

function modelDirWith(source: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlrun-node-'));
  writeFileSync(path.join(dir, 'model.js'), source);
  return dir;
}

afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((sut) => sut.stop()));
  logs.length = 0;
});

describe('node worker pool', () => {
  describe('start', () => {
    it('runs the model in worker processes, not in the wrapper', async () => {
      const sut = runtime('crash', { workers: 2 });
      await sut.start();
      expect(sut.stats()).toEqual({ workers: 2, busyWorkers: 0, restarts: 0, oomKills: 0 });
      const pids = sut.workerPids();
      expect(pids).toHaveLength(2);
      const answered = Number(await sut.predict('pid'));
      expect(pids).toContain(answered);
      expect(answered).not.toBe(process.pid);
    });

    it('starts every worker through the launch it is given, with the manifest env only', async () => {
      const seen: LaunchRequest[] = [];
      const launch: Launch = (request) => {
        seen.push(request);
        return spawnLaunch(request);
      };
      const sut = runtime('crash', { launch, config: { THRESHOLD: '0.5' } });
      await sut.start();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        command: process.execPath,
        args: [testNodeWorkerScript()],
        cwd: path.join(FIXTURES, 'crash'),
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      });
      expect(seen[0]?.env['THRESHOLD']).toBe('0.5');
      expect(Object.keys(seen[0]?.env ?? {}).filter((key) => key.startsWith('MLRUN_'))).toEqual([]);
    });

    it("fails with the model's own error text when init throws, leaving no process", async () => {
      const sut = runtime('init-throws', { workers: 2 });
      const starting = sut.start();
      const pids = sut.workerPids();
      const error = await failure(starting);
      expect(error.code).toBe(RuntimeErrorCode.InitFailed);
      expect(error.message).toBe('Error: coefficients/weights.json not found');
      expect(error.detail).toContain('model.js');
      expect(pids.filter(isRunning)).toEqual([]);
    });

    it('fails with InitTimeout when init outlives the timeout, leaving no process', async () => {
      const sut = runtime('init-hangs', { initTimeoutMs: 300 });
      const starting = sut.start();
      const pids = sut.workerPids();
      const error = await failure(starting);
      expect(error.code).toBe(RuntimeErrorCode.InitTimeout);
      expect(error.message).toBe('init did not finish within 0.3 s');
      expect(pids.filter(isRunning)).toEqual([]);
    });

    it('says the entry would not load, and why', async () => {
      const dir = modelDirWith('exports.predict = (input) => { return input\n');
      try {
        const error = await failure(runtime('crash', { modelDir: dir }).start());
        expect(error.code).toBe(RuntimeErrorCode.InitFailed);
        expect(error.message).toMatch(/^cannot load model\.js: SyntaxError: /);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reports the last output lines when the worker dies during init', async () => {
      const dir = modelDirWith('console.error("loading weights");\nprocess.exit(7);\n');
      try {
        const error = await failure(runtime('crash', { modelDir: dir }).start());
        expect(error.code).toBe(RuntimeErrorCode.InitFailed);
        expect(error.message).toContain('node worker exited during init (exit code 7)');
        expect(error.message).toContain('loading weights');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fails with InitFailed when the worker script cannot be started', async () => {
      const sut = runtime('crash', { nodeExecutable: '/nonexistent/node' });
      const error = await failure(sut.start());
      expect(error.code).toBe(RuntimeErrorCode.InitFailed);
      expect(error.message).toContain('spawn failed');
    });
  });

  describe('predict', () => {
    it('round-trips unicode and a 1 MiB input', async () => {
      const sut = runtime('crash');
      await sut.start();
      const unicode = 'ünïcødé 😀 中文 \u0000 "quoted" \\ \n end';
      await expect(sut.predict(unicode)).resolves.toBe(unicode);
      const big = 'é😀x'.repeat(350_000);
      await expect(sut.predict(big)).resolves.toBe(big);
    });

    it("keeps a model's stdout out of the frames and logs it with the worker's pid", async () => {
      const sut = runtime('crash');
      await sut.start();
      await expect(sut.predict('log:quiet please')).resolves.toBe('quiet please');
      await expect(sut.predict('next')).resolves.toBe('next');
      const [pid] = sut.workerPids();
      await until(() => logs.some((entry) => JSON.stringify(entry).includes('quiet please')));
      expect(logs).toContainEqual({
        level: 'log',
        fields: { workerPid: pid, line: 'noisy predict: quiet please' },
        message: 'node worker output',
      });
      expect(sut.stats().restarts).toBe(0);
    });

    it('serves many requests at once on one worker (pipelined)', async () => {
      const sut = runtime('crash');
      await sut.start();
      // Each answers only once all four are in the worker together: one at a time would hang.
      const four = Array.from({ length: 4 }, () => sut.predict('barrier:4'));
      await expect(Promise.all(four)).resolves.toEqual(Array(4).fill('barrier:4'));
      expect(sut.stats()).toEqual({ workers: 1, busyWorkers: 0, restarts: 0, oomKills: 0 });
    });

    it('spreads requests over the workers by fewest in flight', async () => {
      const sut = runtime('crash', { workers: 2 });
      await sut.start();
      const pids = await Promise.all([sut.predict('pid'), sut.predict('pid')]);
      expect(new Set(pids).size).toBe(2);
    });

    it('rejects with PredictFailed when predict throws or returns no string, and keeps serving', async () => {
      const sut = runtime('slow-init', { config: { INIT_MS: '0', PREDICT_MS: '0' } });
      await sut.start();
      const thrown = await failure(sut.predict('throw'));
      expect(thrown.code).toBe(RuntimeErrorCode.PredictFailed);
      expect(thrown.message).toBe('RangeError: input out of range');
      expect(thrown.detail).toContain('model.js');
      const wrongType = await failure(sut.predict('number'));
      expect(wrongType.message).toBe('TypeError: predict must return a string, got number');
      await expect(sut.predict('fine')).resolves.toBe('fine');
    });
  });

  describe('worker crashes', () => {
    it('fails the in-flight request and serves later ones on a replacement', async () => {
      const sut = runtime('crash');
      await sut.start();
      const [pid] = sut.workerPids();
      const inFlight = sut.predict('sleep:30000');
      await until(() => sut.stats().busyWorkers === 1);
      process.kill(pid as number, 'SIGKILL');
      const error = await failure(inFlight);
      expect(error.code).toBe(RuntimeErrorCode.WorkerCrashed);
      expect(error.message).toContain('signal SIGKILL');
      await expect(sut.predict('after')).resolves.toBe('after');
      expect(sut.stats()).toEqual({ workers: 1, busyWorkers: 0, restarts: 1, oomKills: 0 });
      expect(sut.workerPids()).not.toContain(pid);
    });

    it('reports a model that exits the process as WorkerCrashed', async () => {
      const sut = runtime('crash');
      await sut.start();
      const error = await failure(sut.predict('die'));
      expect(error.code).toBe(RuntimeErrorCode.WorkerCrashed);
      expect(error.message).toContain('exit code 3');
      await expect(sut.predict('next')).resolves.toBe('next');
    });

    it('fails queued requests after the bounded wait when no worker comes back', async () => {
      const sut = runtime('crash', { noWorkerWaitMs: 300, backoff: { initialMs: 60_000 } });
      await sut.start();
      expect((await failure(sut.predict('die'))).code).toBe(RuntimeErrorCode.WorkerCrashed);
      const error = await failure(sut.predict('queued'));
      expect(error.code).toBe(RuntimeErrorCode.NoWorkerAvailable);
      expect(error.message).toBe('no node worker came back within 0.3 s');
    });
  });

  describe('stop', () => {
    it('leaves no child process and refuses later predictions', async () => {
      const sut = runtime('crash', { workers: 2 });
      await sut.start();
      const pids = sut.workerPids();
      const inFlight = failure(sut.predict('sleep:30000'));
      await sut.stop();
      expect(pids.filter(isRunning)).toEqual([]);
      expect((await inFlight).code).toBe(RuntimeErrorCode.NoWorkerAvailable);
      expect((await failure(sut.predict('late'))).code).toBe(RuntimeErrorCode.NoWorkerAvailable);
    });
  });
});

describe('mlrun-node-worker.js', () => {
  // The worker alone, as the pool starts it: frames on fd 3, its log on fds 1 and 2.
  async function run(...frames: Buffer[]) {
    const child = spawn(process.execPath, [testNodeWorkerScript()], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const channel = child.stdio[3] as Duplex;
    const decoder = new FrameDecoder();
    const replies: unknown[] = [];
    channel.on('data', (chunk: Buffer) => replies.push(...decoder.push(chunk)));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    for (const frame of frames) channel.write(frame);
    channel.end();
    const [code] = await exited;
    return { code, replies, stderr };
  }

  it('exits 0 at the end of the requests', async () => {
    expect((await run()).code).toBe(0);
  });

  it('exits 2 on a frame that is not a request and says why on stderr', async () => {
    const result = await run(Buffer.from([0, 0, 0, 3, 0x61, 0x62, 0x63]));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('protocol error');
  });

  it('answers an unknown op with an error reply', async () => {
    const result = await run(encodeFrame({ id: 1, op: 'train' }));
    expect(result.replies).toEqual([
      { id: 1, ok: false, error: expect.objectContaining({ message: 'unknown op "train"' }) },
    ]);
  });
});

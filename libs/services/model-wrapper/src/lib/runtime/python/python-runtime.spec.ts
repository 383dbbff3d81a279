import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { until } from '@ml-run/async/testing';

import { failure } from '../../../testing/async-checks';
import { recordingLogger } from '../../../testing/recording-logger';
import { RuntimeErrorCode } from '../runtime.errors';
import { encodeFrame } from '../worker/frame-codec';
import type { WorkerPool } from '../worker/worker-pool';
import { pythonRuntime, type PythonRuntimeOptions } from './python-runtime';

const FIXTURES = path.resolve(__dirname, '../../../../fixtures/python');
const WORKER_SCRIPT = path.join(__dirname, 'mlrun_worker.py');

const logger = recordingLogger();
const logs = logger.entries;

const runtimes: WorkerPool[] = [];

function runtime(fixture: string, overrides: Partial<PythonRuntimeOptions> = {}): WorkerPool {
  const sut = pythonRuntime({
    modelDir: path.join(FIXTURES, fixture),
    entry: 'model.py',
    coefficientsDir: path.join(FIXTURES, fixture, 'coefficients'),
    config: {},
    initTimeoutMs: 10_000,
    workers: 1,
    logger,
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

afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((sut) => sut.stop()));
  logs.length = 0;
});

describe('python worker pool', () => {
  describe('start', () => {
    it('starts the workers and serves predictions', async () => {
      const sut = runtime('echo', { workers: 2 });
      await sut.start();
      expect(sut.stats()).toEqual({ workers: 2, busyWorkers: 0, restarts: 0, oomKills: 0 });
      expect(sut.workerPids()).toHaveLength(2);
      await expect(sut.predict('hello')).resolves.toBe('hello');
    });

    it('hands the manifest env to init as ctx.config', async () => {
      const sut = runtime('async-model', { config: { PREFIX: 'p:' } });
      await sut.start();
      await expect(sut.predict('x')).resolves.toBe('p:x');
    });

    it('runs an async init and async predict on one event loop', async () => {
      const sut = runtime('async-model');
      await sut.start();
      await expect(sut.predict('x')).resolves.toBe('async:x');
      await expect(sut.predict('y')).resolves.toBe('async:y');
    });

    it('fails with the model own error text when init raises, leaving no process', async () => {
      const sut = runtime('init-raises', { workers: 2 });
      const starting = sut.start();
      const pids = sut.workerPids();
      const error = await failure(starting);
      expect(error.code).toBe(RuntimeErrorCode.InitFailed);
      expect(error.message).toBe('ValueError: bad coefficients');
      expect(error.detail).toContain('Traceback');
      expect(pids.filter(isRunning)).toEqual([]);
      expect(sut.stats().workers).toBe(0);
    });

    it('fails with InitTimeout when init outlives the timeout, leaving no process', async () => {
      const sut = runtime('init-hangs', { initTimeoutMs: 300 });
      const began = Date.now();
      const starting = sut.start();
      const pids = sut.workerPids();
      const error = await failure(starting);
      expect(error.code).toBe(RuntimeErrorCode.InitTimeout);
      expect(error.message).toBe('init did not finish within 0.3 s');
      // init-hangs never returns: any bound far below forever shows the timeout fired.
      expect(Date.now() - began).toBeLessThan(10_000);
      expect(pids.filter(isRunning)).toEqual([]);
    });

    it('waits for a slow init within the timeout', async () => {
      const sut = runtime('echo', { config: { INIT_SLEEP: '0.2' }, initTimeoutMs: 5_000 });
      await sut.start();
      await expect(sut.predict('late')).resolves.toBe('late');
    });

    it('fails with InitFailed when python cannot be spawned', async () => {
      const sut = runtime('echo', { pythonExecutable: '/nonexistent/python3' });
      const error = await failure(sut.start());
      expect(error.code).toBe(RuntimeErrorCode.InitFailed);
      expect(error.message).toContain('spawn failed');
    });

    it('reports the last stderr lines when the worker dies during init', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'mlrun-py-'));
      writeFileSync(
        path.join(dir, 'model.py'),
        'import os, sys\nprint("loading weights", file=sys.stderr, flush=True)\nos._exit(7)\n',
      );
      try {
        const sut = runtime('echo', { modelDir: dir });
        const error = await failure(sut.start());
        expect(error.code).toBe(RuntimeErrorCode.InitFailed);
        expect(error.message).toContain('exit code 7');
        expect(error.message).toContain('loading weights');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('predict', () => {
    it("imports the bundle's installed dependencies from .mlrun-deps", async () => {
      const sut = runtime('with-deps');
      await sut.start();
      await expect(sut.predict('hello')).resolves.toBe('HELLO!');
    });

    it('round-trips unicode and a 1 MiB input', async () => {
      const sut = runtime('echo');
      await sut.start();
      const unicode = 'ünïcødé 😀 中文 \u0000 "quoted" \\ \n end';
      await expect(sut.predict(unicode)).resolves.toBe(unicode);
      const big = 'é😀x'.repeat(350_000);
      expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
      await expect(sut.predict(big)).resolves.toBe(big);
    });

    it('round-trips a lone surrogate, which UTF-8 cannot carry', async () => {
      const sut = runtime('echo');
      await sut.start();
      await expect(sut.predict('a \ud800 b')).resolves.toBe('a \ud800 b');
    });

    it('rejects with PredictFailed when predict raises and keeps serving', async () => {
      const sut = runtime('predict-raises');
      await sut.start();
      const error = await failure(sut.predict('boom'));
      expect(error.code).toBe(RuntimeErrorCode.PredictFailed);
      expect(error.message).toBe("ValueError: cannot score 'boom'");
      expect(error.detail).toContain('Traceback');
      await expect(sut.predict('fine')).resolves.toBe('fine');
      expect(sut.stats()).toEqual({ workers: 1, busyWorkers: 0, restarts: 0, oomKills: 0 });
    });

    it('survives model output on stdout and forwards it to the log with the pid', async () => {
      const sut = runtime('noisy');
      await sut.start();
      await expect(sut.predict('quiet please')).resolves.toBe('quiet please');
      await expect(sut.predict('again')).resolves.toBe('again');
      const [pid] = sut.workerPids();
      await until(() => logs.some((entry) => JSON.stringify(entry).includes('predict: again')));
      expect(logs).toContainEqual({
        level: 'log',
        fields: { workerPid: pid, line: 'noisy predict: quiet please' },
        message: 'python worker output',
      });
    });

    it('serves concurrent predictions on two workers', async () => {
      const sut = runtime('crash', { workers: 2 });
      await sut.start();
      const both = Promise.all([sut.predict('1.0'), sut.predict('1.0')]);
      // Both workers hold a request at once: the two run side by side, not in turn.
      expect(sut.stats().busyWorkers).toBe(2);
      await expect(both).resolves.toEqual(['1.0', '1.0']);
      expect(sut.stats().busyWorkers).toBe(0);
    });

    it('queues requests beyond the idle workers in arrival order', async () => {
      const sut = runtime('crash');
      await sut.start();
      const order: string[] = [];
      const inputs = ['0.05', 'a', 'b', 'c'];
      await Promise.all(inputs.map((input) => sut.predict(input).then((out) => order.push(out))));
      expect(order).toEqual(inputs);
    });

    it('keeps the worker and its pid across 10,000 sequential predictions', async () => {
      const sut = runtime('echo');
      await sut.start();
      const pids = sut.workerPids();
      for (let i = 0; i < 10_000; i++) {
        if ((await sut.predict(`n${i}`)) !== `n${i}`) throw new Error(`wrong output at ${i}`);
      }
      expect(sut.workerPids()).toEqual(pids);
      expect(sut.stats()).toEqual({ workers: 1, busyWorkers: 0, restarts: 0, oomKills: 0 });
    }, 30_000);
  });

  describe('worker crashes', () => {
    it('fails the in-flight request at once and serves later ones on a replacement', async () => {
      const sut = runtime('crash');
      await sut.start();
      const [pid] = sut.workerPids();
      const inFlight = sut.predict('30');
      await until(() => sut.stats().busyWorkers === 1);
      const killedAt = Date.now();
      process.kill(pid);
      const error = await failure(inFlight);
      // The request would have run 30 s: failing well before shows it did not wait.
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      expect(error.code).toBe(RuntimeErrorCode.WorkerCrashed);
      expect(error.message).toContain('signal SIGTERM');
      await expect(sut.predict('after')).resolves.toBe('after');
      expect(sut.stats()).toEqual({ workers: 1, busyWorkers: 0, restarts: 1, oomKills: 0 });
      expect(sut.workerPids()).not.toContain(pid);
      expect(isRunning(pid)).toBe(false);
    });

    it('reports a model that exits the process as WorkerCrashed', async () => {
      const sut = runtime('crash');
      await sut.start();
      const error = await failure(sut.predict('die'));
      expect(error.code).toBe(RuntimeErrorCode.WorkerCrashed);
      expect(error.message).toContain('exit code 3');
      await expect(sut.predict('next')).resolves.toBe('next');
    });

    it('keeps queued requests for the surviving worker', async () => {
      const sut = runtime('crash', { workers: 2, backoff: { initialMs: 5_000 } });
      await sut.start();
      const doomed = sut.predict('30');
      const slow = sut.predict('0.3');
      const queued = sut.predict('queued');
      await until(() => sut.stats().busyWorkers === 2);
      const [first] = sut.workerPids();
      process.kill(first);
      expect((await failure(doomed)).code).toBe(RuntimeErrorCode.WorkerCrashed);
      await expect(slow).resolves.toBe('0.3');
      await expect(queued).resolves.toBe('queued');
      expect(sut.stats().workers).toBe(1);
    });

    it('serves a request queued behind the crashed one on the replacement', async () => {
      const sut = runtime('crash');
      await sut.start();
      const [pid] = sut.workerPids();
      const doomed = sut.predict('30');
      const next = sut.predict('next');
      await until(() => sut.stats().busyWorkers === 1);
      process.kill(pid);
      expect((await failure(doomed)).code).toBe(RuntimeErrorCode.WorkerCrashed);
      await expect(next).resolves.toBe('next');
      expect(sut.workerPids()).not.toContain(pid);
    });

    it('fails queued requests after the bounded wait when no worker is alive', async () => {
      const sut = runtime('crash', { noWorkerWaitMs: 300, backoff: { initialMs: 5_000 } });
      await sut.start();
      const [pid] = sut.workerPids();
      const inFlight = sut.predict('30');
      const queued = sut.predict('queued');
      process.kill(pid, 'SIGKILL');
      expect((await failure(inFlight)).code).toBe(RuntimeErrorCode.WorkerCrashed);
      const began = Date.now();
      const error = await failure(queued);
      expect(error.code).toBe(RuntimeErrorCode.NoWorkerAvailable);
      // Below the 5 s respawn backoff: the bounded wait, not the replacement, ended it.
      expect(Date.now() - began).toBeLessThan(4_000);
      const fresh = await failure(sut.predict('fresh'));
      expect(fresh.code).toBe(RuntimeErrorCode.NoWorkerAvailable);
    });

    it('kills a worker that breaks the frame protocol', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'mlrun-py-'));
      const script = path.join(dir, 'garbage_worker.py');
      writeFileSync(
        script,
        'import sys\nsys.stdin.buffer.read(4)\nsys.stdout.buffer.write(b"\\x00\\x00\\x00\\x02{]")\nsys.stdout.flush()\nimport time\ntime.sleep(30)\n',
      );
      try {
        const sut = runtime('echo', { workerScript: script });
        const error = await failure(sut.start());
        expect(error.code).toBe(RuntimeErrorCode.InitFailed);
        expect(logs.map((entry) => entry.message)).toContain(
          'python worker broke the frame protocol',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('stop', () => {
    it('leaves no child process and refuses later predictions', async () => {
      const sut = runtime('echo', { workers: 3 });
      await sut.start();
      const pids = sut.workerPids();
      await sut.stop();
      expect(pids.filter(isRunning)).toEqual([]);
      expect(sut.stats()).toEqual({ workers: 0, busyWorkers: 0, restarts: 0, oomKills: 0 });
      expect((await failure(sut.predict('late'))).code).toBe(RuntimeErrorCode.NoWorkerAvailable);
    });

    it('rejects in-flight requests and does not wait for them', async () => {
      const sut = runtime('crash');
      await sut.start();
      const [pid] = sut.workerPids();
      const inFlight = sut.predict('30');
      const began = Date.now();
      await sut.stop();
      // The request would have run 30 s: stopping well before shows it did not wait.
      expect(Date.now() - began).toBeLessThan(10_000);
      expect((await failure(inFlight)).code).toBe(RuntimeErrorCode.NoWorkerAvailable);
      expect(isRunning(pid)).toBe(false);
    });

    it('interrupts a hanging init', async () => {
      const sut = runtime('init-hangs', { initTimeoutMs: 60_000 });
      const starting = sut.start();
      // start asks the interpreter where it lives before it spawns: wait for the worker.
      while (sut.workerPids().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const pids = sut.workerPids();
      await sut.stop();
      await failure(starting);
      expect(pids.filter(isRunning)).toEqual([]);
    });

    it('kills a busy worker that ignores SIGTERM after the grace period', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'mlrun-py-'));
      const model = [
        'import signal, time',
        'def init(ctx):',
        '    signal.signal(signal.SIGTERM, signal.SIG_IGN)',
        'def predict(s):',
        '    time.sleep(float(s))',
        '    return s',
      ];
      writeFileSync(path.join(dir, 'model.py'), model.join('\n') + '\n');
      try {
        const sut = runtime('echo', { modelDir: dir, stopGraceMs: 200 });
        await sut.start();
        const [pid] = sut.workerPids();
        const inFlight = sut.predict('30');
        await until(() => sut.stats().busyWorkers === 1);
        const began = Date.now();
        await sut.stop();
        expect(Date.now() - began).toBeGreaterThanOrEqual(190);
        expect((await failure(inFlight)).code).toBe(RuntimeErrorCode.NoWorkerAvailable);
        expect(isRunning(pid)).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('does not respawn after stop', async () => {
      const sut = runtime('echo', { backoff: { initialMs: 50 } });
      await sut.start();
      const [pid] = sut.workerPids();
      process.kill(pid, 'SIGKILL');
      await until(() => sut.stats().workers === 0);
      await sut.stop();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sut.workerPids()).toEqual([]);
      expect(sut.stats().restarts).toBe(0);
    });
  });
});

describe('mlrun_worker.py', () => {
  const run = (input: Buffer) => spawnSync('python3', [WORKER_SCRIPT], { input, timeout: 10_000 });

  it('exits 0 on EOF', () => {
    expect(run(Buffer.alloc(0)).status).toBe(0);
  });

  it('exits non-zero on a malformed frame and says why on stderr', () => {
    const result = run(Buffer.from([0, 0, 0, 3, 0x61, 0x62, 0x63]));
    expect(result.status).toBe(2);
    expect(result.stderr.toString()).toContain('protocol error');
  });

  it('answers an unknown op with an error reply and keeps serving', () => {
    const result = run(encodeFrame({ id: 1, op: 'train' }));
    expect(result.status).toBe(0);
    expect(result.stdout.subarray(4).toString()).toContain('"ok": false');
  });
});

// A pool of long-lived model worker processes behind the ModelRuntime port, the same for
// every runtime: what differs (python3 mlrun_worker.py, node mlrun-node-worker.js, Rscript
// mlrun_worker.R) is the WorkerCommand, and every child is started through the one Launch.
//
// Queueing and crash policy:
// - predict goes to the live worker with the fewest requests in flight, below the command's
//   maxInFlight (2 for python: one running, one waiting in its pipe; node workers take many,
//   their predicts are async), else waits in one FIFO queue (the HTTP layer bounds in-flight requests, so the queue is not
//   capped here).
// - A worker that dies fails only the requests it was running (WorkerCrashed); queued
//   requests stay queued for the other workers or the replacement, and so do those waiting
//   in a python worker's pipe behind the one it ran (it runs them in order, one at a time). Replacements start after an
//   exponential backoff (100 ms doubling to 10 s, reset after a healthy minute).
// - When no worker is alive, queued and new requests wait at most noWorkerWaitMs
//   (default 2 s) for a replacement, then fail with NoWorkerAvailable; until a worker is
//   ready again, new requests fail at once instead of waiting.
import { Logger } from '@nestjs/common';

import { DEFAULT_BACKOFF, RestartBackoff, type BackoffOptions } from '@ml-run/async';
import {
  unsandboxedLauncher,
  type ModelProcessLauncher,
  type SandboxReport,
} from '@ml-run/sandbox';

import type { ModelRuntime, RuntimeOptions, RuntimeStats } from '../model-runtime.port';
import { RuntimeError, RuntimeErrorCode } from '../runtime.errors';
import { spawnLaunch, type Launch } from './launch';
import {
  WorkerProcess,
  type PredictJob,
  type RuntimeLogger,
  type WorkerCommand,
} from './worker-process';
import { formatSeconds, type InitPayload } from './worker-protocol';

export type WorkerPoolOptions = RuntimeOptions & {
  worker: WorkerCommand;
  /** Starts each worker; default spawn(). The sandbox wraps this. */
  launch?: Launch;
  logger?: RuntimeLogger;
  /** How long requests wait for a replacement when no worker is alive. Default 2000. */
  noWorkerWaitMs?: number;
  /** Between SIGTERM and SIGKILL on stop. Default 2000. */
  stopGraceMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** What runs the model, e.g. "R 4.2.2", for `GET /v1/model`. */
  interpreter?: string;
  /**
   * Checked before any worker starts: throws the RuntimeError that fails start when the
   * machine cannot run the model (R missing, too old, a package missing).
   */
  preflight?: () => void;
};

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

const DEFAULT_NO_WORKER_WAIT_MS = 2_000;
const DEFAULT_STOP_GRACE_MS = 2_000;

export class WorkerPool implements ModelRuntime {
  private readonly logger: RuntimeLogger;
  private readonly backoff: RestartBackoff;
  private readonly noWorkerWaitMs: number;
  private readonly stopGraceMs: number;
  private readonly ready: WorkerProcess[] = [];
  private readonly starting = new Set<WorkerProcess>();
  private readonly queue: PredictJob[] = [];
  private readonly respawnTimers = new Set<NodeJS.Timeout>();
  private noWorkerTimer: NodeJS.Timeout | undefined;
  private noWorkerWaitExpired = false;
  private state: State = 'new';
  private restarts = 0;
  private stopped: Promise<void> | undefined;
  private oomKills = 0;

  private readonly runtime: string;
  private readonly launcher: ModelProcessLauncher;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new RangeError(`worker pool needs workers >= 1, got ${options.workers}`);
    }
    this.runtime = options.worker.runtime;
    this.logger = options.logger ?? new Logger(`${WorkerPool.name}:${this.runtime}`);
    this.backoff = new RestartBackoff({ ...DEFAULT_BACKOFF, ...options.backoff });
    this.noWorkerWaitMs = options.noWorkerWaitMs ?? DEFAULT_NO_WORKER_WAIT_MS;
    this.stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    this.launcher = options.launcher ?? unsandboxedLauncher('no sandbox was configured');
  }

  async start(): Promise<void> {
    if (this.state !== 'new')
      throw new Error(`${this.runtime} runtime cannot start when ${this.state}`);
    this.state = 'starting';
    try {
      this.options.preflight?.();
    } catch (error) {
      await this.stop();
      throw error;
    }
    const sandbox = this.launcher.report();
    if (sandbox.level !== 'full') {
      // Said at every start: an operator reading the log must not assume isolation.
      const { level, warnings } = sandbox;
      this.logger.warn({ sandbox: level, warnings }, 'model code is not fully sandboxed');
    }
    const workers = Array.from({ length: this.options.workers }, () => this.spawnWorker());
    try {
      await Promise.all(workers.map((worker) => this.initWorker(worker)));
    } catch (error) {
      await this.stop();
      throw error;
    }
    if (this.state !== 'starting') {
      throw new RuntimeError(
        RuntimeErrorCode.NoWorkerAvailable,
        `${this.runtime} runtime stopped in start`,
      );
    }
    this.state = 'running';
    for (const worker of workers) this.promote(worker);
    const { level, limits } = this.launcher.report();
    this.logger.log(
      { workers: this.workerPids(), sandbox: level, limits },
      `${this.runtime} runtime started`,
    );
  }

  predict(input: string): Promise<string> {
    if (this.state !== 'running') {
      return Promise.reject(noWorker(`${this.runtime} runtime is ${this.state}`));
    }
    if (this.liveWorkers().length === 0) {
      if (this.noWorkerWaitExpired) {
        return Promise.reject(
          noWorker(`no ${this.runtime} worker is alive; a replacement is starting`),
        );
      }
      this.armNoWorkerTimer();
    }
    return new Promise<string>((resolve, reject) => {
      const job = { input, resolve, reject };
      // The common case: nobody waiting and a worker with room takes it at once.
      const worker = this.queue.length === 0 ? this.leastLoaded() : undefined;
      if (worker) return worker.predict(job);
      this.queue.push(job);
      this.dispatch();
    });
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  stats(): RuntimeStats {
    const live = this.liveWorkers();
    return {
      workers: live.length,
      busyWorkers: live.filter((worker) => worker.busy).length,
      restarts: this.restarts,
      oomKills: this.oomKills,
    };
  }

  sandbox(): SandboxReport {
    return this.launcher.report();
  }

  interpreter(): string | undefined {
    return this.options.interpreter;
  }

  /** Pids of every live child, serving or initializing; for diagnostics and tests. */
  workerPids(): number[] {
    return [...this.ready, ...this.starting]
      .filter((worker) => worker.alive)
      .map((worker) => worker.pid as number);
  }

  private async shutdown(): Promise<void> {
    const from = this.state;
    this.state = 'stopping';
    for (const timer of this.respawnTimers) clearTimeout(timer);
    this.respawnTimers.clear();
    clearTimeout(this.noWorkerTimer);
    this.failQueue(noWorker(`${this.runtime} runtime is stopping`));
    const workers = [...this.ready, ...this.starting];
    this.ready.length = 0;
    this.starting.clear();
    await Promise.all(workers.map((worker) => worker.stop(this.stopGraceMs)));
    await this.launcher.close();
    this.state = 'stopped';
    if (from !== 'new')
      this.logger.log({ workers: workers.length }, `${this.runtime} runtime stopped`);
  }

  private spawnWorker(): WorkerProcess {
    const worker = new WorkerProcess({
      worker: this.options.worker,
      cwd: this.options.modelDir,
      launch: this.options.launch ?? spawnLaunch,
      logger: this.logger,
      onExit: (exited, exit) => this.onWorkerExit(exited, exit.code, exit.signal),
      onSettled: this.onSettled,
      onOrphaned: this.onOrphaned,
    });
    this.starting.add(worker);
    return worker;
  }

  private async initWorker(worker: WorkerProcess): Promise<void> {
    const { modelDir, entry, coefficientsDir, config, igniteEndpoints, initTimeoutMs } =
      this.options;
    // The worker's env has no MLRUN_ variables: the endpoints travel in the init frame.
    const payload: InitPayload = {
      modelDir,
      entry,
      coefficientsDir,
      config,
      igniteEndpoints,
      initTimeoutMs,
    };
    try {
      await worker.init(payload, this.options.initTimeoutMs);
    } catch (error) {
      if (this.state !== 'stopping') {
        const { code, message, detail } = error as RuntimeError;
        this.logger.error(
          { workerPid: worker.pid, code, error: message, detail },
          `${this.runtime} worker init failed`,
        );
      }
      throw error;
    }
  }

  // Moves an initialized worker into service, unless it died or the pool is stopping.
  private promote(worker: WorkerProcess): void {
    this.starting.delete(worker);
    if (this.state !== 'running') return;
    if (!worker.alive) return this.scheduleReplacement(0);
    this.ready.push(worker);
    clearTimeout(this.noWorkerTimer);
    this.noWorkerTimer = undefined;
    this.noWorkerWaitExpired = false;
    this.dispatch();
  }

  // The kernel says who it killed for memory (the cgroup's OOM counter), not the exit code.
  private async noteMemoryKills(workerPid: number | undefined): Promise<void> {
    const kills = await this.launcher.oomKills();
    if (kills <= this.oomKills) return;
    this.oomKills = kills;
    const limit = this.launcher.report().limits.memoryBytes;
    this.logger.warn(
      { workerPid, oomKills: kills, memoryLimitBytes: limit.requested, by: limit.by },
      `${this.runtime} worker killed past its memory limit`,
    );
  }

  private onWorkerExit(worker: WorkerProcess, code: number | null, signal: string | null): void {
    const index = this.ready.indexOf(worker);
    if (index >= 0) this.ready.splice(index, 1);
    this.starting.delete(worker);
    // Workers still in init are handled where their init fails.
    if (this.state !== 'running' || index < 0) return;
    const output = worker.outputTail();
    this.logger.warn(
      { workerPid: worker.pid, code, signal, output },
      `${this.runtime} worker exited`,
    );
    void this.noteMemoryKills(worker.pid);
    this.scheduleReplacement(worker.healthyForMs());
    if (this.liveWorkers().length === 0) this.armNoWorkerTimer();
  }

  private scheduleReplacement(healthyForMs: number): void {
    const delayMs = this.backoff.next(healthyForMs);
    this.logger.log({ delayMs }, `${this.runtime} worker replacement scheduled`);
    const timer = setTimeout(() => {
      this.respawnTimers.delete(timer);
      void this.replace();
    }, delayMs);
    this.respawnTimers.add(timer);
  }

  private async replace(): Promise<void> {
    if (this.state !== 'running') return;
    this.restarts += 1;
    const worker = this.spawnWorker();
    try {
      await this.initWorker(worker);
    } catch {
      this.starting.delete(worker);
      await worker.stop(this.stopGraceMs);
      if (this.state === 'running') this.scheduleReplacement(0);
      return;
    }
    this.promote(worker);
    if (this.ready.includes(worker))
      this.logger.log({ workerPid: worker.pid }, `${this.runtime} worker replaced`);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.leastLoaded();
      const job = worker && this.queue.shift();
      if (!worker || !job) return;
      worker.predict(job);
    }
  }

  // A worker has room again: hand it the oldest waiting job.
  private readonly onSettled = (): void => {
    if (this.queue.length > 0) this.dispatch();
  };

  // A dead worker's unstarted jobs go back to the head of the queue, still in arrival order.
  private readonly onOrphaned = (jobs: PredictJob[]): void => {
    if (this.state !== 'running') {
      const error = noWorker(`${this.runtime} runtime is ${this.state}`);
      for (const job of jobs) job.reject(error);
      return;
    }
    this.queue.unshift(...jobs);
    this.dispatch();
  };

  // The live worker with room and the fewest requests in flight; ties go to the first.
  private leastLoaded(): WorkerProcess | undefined {
    const limit = this.options.worker.maxInFlight;
    let best: WorkerProcess | undefined;
    for (const worker of this.ready) {
      if (!worker.alive || worker.inFlight >= limit) continue;
      if (best === undefined || worker.inFlight < best.inFlight) best = worker;
      if (worker.inFlight === 0) break;
    }
    return best;
  }

  private armNoWorkerTimer(): void {
    if (this.noWorkerTimer !== undefined || this.noWorkerWaitExpired) return;
    this.noWorkerTimer = setTimeout(() => {
      this.noWorkerTimer = undefined;
      if (this.liveWorkers().length > 0) return;
      this.noWorkerWaitExpired = true;
      const waited = formatSeconds(this.noWorkerWaitMs);
      this.failQueue(noWorker(`no ${this.runtime} worker came back within ${waited}`));
    }, this.noWorkerWaitMs);
  }

  private failQueue(error: RuntimeError): void {
    for (const job of this.queue.splice(0)) job.reject(error);
  }

  private liveWorkers(): WorkerProcess[] {
    return this.ready.filter((worker) => worker.alive);
  }
}

function noWorker(message: string): RuntimeError {
  return new RuntimeError(RuntimeErrorCode.NoWorkerAvailable, message);
}

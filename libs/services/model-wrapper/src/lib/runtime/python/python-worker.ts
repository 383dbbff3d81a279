// One python3 child process running mlrun_worker.py; requests and replies are frames on its stdio.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { LoggerService } from '@nestjs/common';

import type { SpawnModelProcess, SpawnSpec } from '@ml-run/sandbox';

import { RuntimeError, RuntimeErrorCode } from '../runtime.errors';
import { encodeFrame, FrameDecoder } from './frame-codec';
import { StderrLines } from './stderr-lines';
import {
  formatSeconds,
  modelError,
  parseReply,
  type InitPayload,
  type WorkerReply,
  type WorkerRequest,
} from './worker-protocol';

export type RuntimeLogger = Pick<LoggerService, 'log' | 'warn' | 'error'>;

export type WorkerExit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

export type PythonWorkerOptions = {
  /** The replica's sandbox (or none): the one place a worker process is started. */
  spawn: SpawnModelProcess;
  /** python3 -u mlrun_worker.py, its whole environment and what it may see. */
  spec: SpawnSpec;
  logger: RuntimeLogger;
  onExit: (worker: PythonWorker, exit: WorkerExit) => void;
};

type Pending = {
  op: WorkerRequest['op'];
  settle: (reply: WorkerReply) => void;
  fail: (error: RuntimeError) => void;
};

// After 'exit', wait this long for stdio to drain (the stderr tail) before failing requests.
const EXIT_SETTLE_MS = 250;

export class PythonWorker {
  readonly exited: Promise<WorkerExit>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly decoder = new FrameDecoder();
  private readonly stderr: StderrLines;
  private readonly pending = new Map<number, Pending>();
  private resolveExited: (exit: WorkerExit) => void = () => undefined;
  private exit: WorkerExit | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private finished = false;
  private stopping = false;
  private readyAt: number | undefined;
  private nextId = 1;

  constructor(private readonly options: PythonWorkerOptions) {
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.stderr = new StderrLines((line) =>
      options.logger.log({ workerPid: this.pid, line }, 'python worker stderr'),
    );
    this.child = options.spawn(options.spec);
    this.wire();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Running and not yet seen to exit. */
  get alive(): boolean {
    return this.exit === undefined && this.pid !== undefined;
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** How long the worker has been serving since its init succeeded. */
  healthyForMs(): number {
    return this.readyAt === undefined ? 0 : Date.now() - this.readyAt;
  }

  stderrTail(): string[] {
    return this.stderr.lines();
  }

  init(payload: InitPayload, timeoutMs: number): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const text = `init did not finish within ${formatSeconds(timeoutMs)}`;
        reject(new RuntimeError(RuntimeErrorCode.InitTimeout, text));
      }, timeoutMs);
      const settle = (reply: WorkerReply): void => {
        if (!reply.ok) return reject(modelError(RuntimeErrorCode.InitFailed, reply.error));
        this.readyAt = Date.now();
        resolve();
      };
      const fail = (error: RuntimeError): void => reject(error);
      const done = { op: 'init' as const, settle, fail };
      this.send(
        { id, op: 'init', ...payload },
        withCleanup(done, () => clearTimeout(timer)),
      );
    });
  }

  predict(input: string): Promise<string> {
    if (!this.alive) return Promise.reject(this.exitError('predict'));
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      const settle = (reply: WorkerReply): void => {
        if (!reply.ok) return reject(modelError(RuntimeErrorCode.PredictFailed, reply.error));
        resolve(reply.output ?? '');
      };
      this.send({ id, op: 'predict', input }, { op: 'predict', settle, fail: reject });
    });
  }

  /** Closes stdin and sends SIGTERM, then SIGKILL after graceMs; resolves once it has exited. */
  async stop(graceMs: number): Promise<WorkerExit> {
    if (!this.finished) {
      this.stopping = true;
      this.child.stdin.end();
      this.signal('SIGTERM');
      const killTimer = setTimeout(() => this.signal('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(killTimer);
    }
    return this.exited;
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.exit === undefined) this.child.kill(signal);
  }

  private send(request: WorkerRequest, pending: Pending): void {
    let frame: Buffer;
    try {
      frame = encodeFrame(request);
    } catch (error) {
      const text = `cannot encode the ${request.op} request: ${(error as Error).message}`;
      const code =
        request.op === 'init' ? RuntimeErrorCode.InitFailed : RuntimeErrorCode.PredictFailed;
      return pending.fail(new RuntimeError(code, text));
    }
    this.pending.set(request.id, pending);
    this.child.stdin.write(frame);
  }

  private wire(): void {
    const { stdin, stdout, stderr } = this.child;
    stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    // EPIPE and friends after the child died; 'exit' reports the death itself.
    for (const stream of [stdin, stdout, stderr]) stream.on('error', () => undefined);
    this.child.on('error', (error) => this.onError(error));
    this.child.on('exit', (code, signal) => this.onExit({ code, signal }));
    this.child.on('close', () => this.finish());
  }

  private onStdout(chunk: Buffer): void {
    try {
      for (const frame of this.decoder.push(chunk)) this.onReply(parseReply(frame));
    } catch (error) {
      const details = { workerPid: this.pid, error: (error as Error).message };
      this.options.logger.error(details, 'python worker broke the frame protocol');
      this.signal('SIGKILL');
    }
  }

  private onReply(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) {
      // An init reply after its timeout: the pool is killing this worker anyway.
      this.options.logger.warn(
        { workerPid: this.pid, id: reply.id },
        'python worker reply unmatched',
      );
      return;
    }
    this.pending.delete(reply.id);
    pending.settle(reply);
  }

  private onError(error: Error): void {
    if (this.pid !== undefined) {
      this.options.logger.warn(
        { workerPid: this.pid, error: error.message },
        'python worker error',
      );
      return;
    }
    // spawn itself failed (python missing, not executable): no 'exit' will follow.
    this.exit = { code: null, signal: null, error };
    this.finish();
  }

  private onExit(exit: WorkerExit): void {
    this.exit = exit;
    this.settleTimer = setTimeout(() => this.finish(), EXIT_SETTLE_MS);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.settleTimer);
    this.stderr.end();
    // A grandchild holding our pipes must not keep them (and us) open.
    for (const stream of [this.child.stdout, this.child.stderr]) stream.destroy();
    const exit = this.exit ?? { code: null, signal: null };
    this.exit = exit;
    const failures = [...this.pending.values()];
    this.pending.clear();
    this.options.onExit(this, exit);
    for (const pending of failures) pending.fail(this.exitError(pending.op));
    this.resolveExited(exit);
  }

  private exitError(op: WorkerRequest['op']): RuntimeError {
    const how = describeExit(this.exit);
    const tail = this.stderr.lines();
    const detail = tail.length > 0 ? tail.join('\n') : undefined;
    if (op === 'init') {
      const text = `python worker exited during init (${how})`;
      return new RuntimeError(RuntimeErrorCode.InitFailed, detail ? `${text}: ${detail}` : text);
    }
    if (this.stopping) {
      return new RuntimeError(RuntimeErrorCode.NoWorkerAvailable, 'python worker was stopped');
    }
    const text = `python worker ${this.pid} exited while serving the request (${how})`;
    return new RuntimeError(RuntimeErrorCode.WorkerCrashed, text, detail);
  }
}

function withCleanup(pending: Pending, cleanup: () => void): Pending {
  return {
    op: pending.op,
    settle: (reply) => {
      cleanup();
      pending.settle(reply);
    },
    fail: (error) => {
      cleanup();
      pending.fail(error);
    },
  };
}

function describeExit(exit: WorkerExit | undefined): string {
  if (exit?.error) return `spawn failed: ${exit.error.message}`;
  if (exit?.signal) return `signal ${exit.signal}`;
  return `exit code ${exit?.code ?? 'unknown'}`;
}

// One worker child process (python3 mlrun_worker.py, node mlrun-node-worker.js, Rscript
// mlrun_worker.R); requests and replies are frames on its stdio (python: fds 0/1), on one
// duplex fd 3 (node), or in on fd 3 and out on fd 4 (R).
import type { ChildProcess } from 'node:child_process';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { LoggerService } from '@nestjs/common';

import { RuntimeError, RuntimeErrorCode } from '../runtime.errors';
import { FrameDecoder, FrameWriter } from './frame-codec';
import type { Launch } from './launch';
import { OutputLines } from './output-lines';
import {
  formatSeconds,
  modelError,
  parseReply,
  type InitPayload,
  type WorkerReply,
  type WorkerRequest,
} from './worker-protocol';

export type RuntimeLogger = Pick<LoggerService, 'log' | 'warn' | 'error'>;

export type WorkerChannel = 'stdio' | 'fd3' | 'fd3-fd4';

// Per channel: the child's stdio, and which fd carries requests, replies and the log.
const CHANNEL_FDS: Record<
  WorkerChannel,
  { stdio: ('pipe' | 'ignore')[]; requests: number; replies: number; logs: number[] }
> = {
  stdio: { stdio: ['pipe', 'pipe', 'pipe'], requests: 0, replies: 1, logs: [2] },
  fd3: { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], requests: 3, replies: 3, logs: [1, 2] },
  'fd3-fd4': {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    requests: 3,
    replies: 4,
    logs: [1, 2],
  },
};

export type WorkerExit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/** How to start a runtime's worker; the pool is the same for every runtime. */
export type WorkerCommand = {
  /** Names the worker in logs and errors: "node worker exited during init". */
  runtime: string;
  command: string;
  args: readonly string[];
  /** The worker's whole environment: never the wrapper's MLRUN_ settings. */
  env: Readonly<Record<string, string>>;
  /**
   * Where frames travel. 'stdio': requests on stdin, replies on stdout, stderr is the log
   * (the python worker moves them off fds 0/1 itself). 'fd3': both ways on fd 3, stdout and
   * stderr are the log, so a model's console.log or an inherited stdout cannot break frames.
   * 'fd3-fd4': requests on fd 3, replies on fd 4, stdout and stderr the log (R, which opens
   * each fd one way only).
   */
  channel: WorkerChannel;
  /**
   * Requests one worker holds at once: node workers take many (their predicts are async);
   * python takes 2, one running and the next already in its pipe, so it reads on without
   * sleeping between requests.
   */
  maxInFlight: number;
  /**
   * The worker runs one request at a time in the order sent (python): when it dies, only the
   * oldest unanswered request was running, the others had not reached the model and go back
   * to the pool (onOrphaned) instead of failing.
   */
  inOrder?: boolean;
};

export type WorkerProcessOptions = {
  worker: WorkerCommand;
  cwd: string;
  launch: Launch;
  logger: RuntimeLogger;
  onExit: (worker: WorkerProcess, exit: WorkerExit) => void;
  /** After each predict is settled (answered or failed): the pool hands out queued work. */
  onSettled?: () => void;
  /** An inOrder worker died: predicts it held but had not started, oldest first. */
  onOrphaned?: (jobs: PredictJob[]) => void;
};

/** One predict: the pool's job, settled by the worker's reply or its death. */
export type PredictJob = {
  input: string;
  resolve: (output: string) => void;
  reject: (error: Error) => void;
};

type Pending = {
  op: WorkerRequest['op'];
  settle: (reply: WorkerReply) => void;
  fail: (error: RuntimeError) => void;
};

// After 'exit', wait this long for stdio to drain (the stderr tail) before failing requests.
const EXIT_SETTLE_MS = 250;

export class WorkerProcess {
  readonly exited: Promise<WorkerExit>;
  private readonly child: ChildProcess;
  private readonly requests: Writable;
  private readonly replies: Readable;
  private readonly logs: Readable[];
  private readonly writer: FrameWriter;
  private readonly decoder = new FrameDecoder();
  private readonly output: OutputLines;
  private readonly pending = new Map<number, Pending>();
  private readonly runtime: string;
  private resolveExited: (exit: WorkerExit) => void = () => undefined;
  private exit: WorkerExit | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private finished = false;
  private stopping = false;
  private readyAt: number | undefined;
  private nextId = 1;

  constructor(private readonly options: WorkerProcessOptions) {
    const { worker } = options;
    this.runtime = worker.runtime;
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.output = new OutputLines((line) =>
      options.logger.log({ workerPid: this.pid, line }, `${this.runtime} worker output`),
    );
    const fds = CHANNEL_FDS[worker.channel];
    this.child = options.launch({
      command: worker.command,
      args: worker.args,
      env: worker.env,
      cwd: options.cwd,
      stdio: fds.stdio,
    });
    // Each fd asked for as 'pipe' is a stream; fds past 2 are duplex sockets.
    const streams = this.child.stdio as unknown as Duplex[];
    this.requests = streams[fds.requests];
    this.replies = streams[fds.replies];
    this.logs = fds.logs.map((fd) => streams[fd]);
    this.writer = new FrameWriter(this.requests);
    this.wire();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Running and not yet seen to exit. */
  get alive(): boolean {
    return this.exit === undefined && this.pid !== undefined;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** How long the worker has been serving since its init succeeded. */
  healthyForMs(): number {
    return this.readyAt === undefined ? 0 : Date.now() - this.readyAt;
  }

  outputTail(): string[] {
    return this.output.lines();
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

  /** Sends the job's input; its resolve or reject is called once, then onSettled. */
  predict(job: PredictJob): void {
    const pending = new PendingPredict(job, this.options.onSettled);
    if (!this.alive) return pending.fail(this.exitError('predict'));
    this.send({ id: this.nextId++, op: 'predict', input: job.input }, pending);
  }

  /** Closes the request channel and sends SIGTERM, then SIGKILL after graceMs; resolves once it has exited. */
  async stop(graceMs: number): Promise<WorkerExit> {
    if (!this.finished) {
      this.stopping = true;
      this.writer.flush();
      this.requests.end();
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
    try {
      this.writer.write(request);
    } catch (error) {
      const text = `cannot encode the ${request.op} request: ${(error as Error).message}`;
      const code =
        request.op === 'init' ? RuntimeErrorCode.InitFailed : RuntimeErrorCode.PredictFailed;
      return pending.fail(new RuntimeError(code, text));
    }
    this.pending.set(request.id, pending);
  }

  private wire(): void {
    this.replies.on('data', (chunk: Buffer) => this.onReplies(chunk));
    for (const log of this.logs) log.on('data', (chunk: Buffer) => this.output.push(chunk));
    // EPIPE and friends after the child died; 'exit' reports the death itself.
    for (const stream of new Set([this.requests, this.replies, ...this.logs])) {
      stream.on('error', () => undefined);
    }
    this.child.on('error', (error) => this.onError(error));
    this.child.on('exit', (code, signal) => this.onExit({ code, signal }));
    this.child.on('close', () => this.finish());
  }

  private onReplies(chunk: Buffer): void {
    try {
      for (const frame of this.decoder.push(chunk)) this.onReply(parseReply(frame));
    } catch (error) {
      const details = { workerPid: this.pid, error: (error as Error).message };
      this.options.logger.error(details, `${this.runtime} worker broke the frame protocol`);
      this.signal('SIGKILL');
    }
  }

  private onReply(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) {
      // An init reply after its timeout: the pool is killing this worker anyway.
      this.options.logger.warn(
        { workerPid: this.pid, id: reply.id },
        `${this.runtime} worker reply unmatched`,
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
        `${this.runtime} worker error`,
      );
      return;
    }
    // spawn itself failed (command missing, not executable): no 'exit' will follow.
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
    this.output.end();
    // A grandchild holding our pipes (the R worker's relays) must not keep them (and us) open.
    for (const stream of new Set([this.requests, this.replies, ...this.logs])) stream.destroy();
    const exit = this.exit ?? { code: null, signal: null };
    this.exit = exit;
    let failures = [...this.pending.values()];
    this.pending.clear();
    this.options.onExit(this, exit);
    if (this.options.worker.inOrder && !this.stopping && failures.length > 1) {
      // Queued again before the running one fails: its onSettled must not dispatch others first.
      const [running, ...waiting] = failures;
      const orphans = waiting.filter((pending) => pending instanceof PendingPredict);
      failures = [running, ...waiting.filter((pending) => !(pending instanceof PendingPredict))];
      this.options.onOrphaned?.(orphans.map((pending) => pending.job));
    }
    for (const pending of failures) pending.fail(this.exitError(pending.op));
    this.resolveExited(exit);
  }

  private exitError(op: WorkerRequest['op']): RuntimeError {
    const how = describeExit(this.exit);
    const tail = this.output.lines();
    const detail = tail.length > 0 ? tail.join('\n') : undefined;
    if (op === 'init') {
      const text = `${this.runtime} worker exited during init (${how})`;
      return new RuntimeError(RuntimeErrorCode.InitFailed, detail ? `${text}: ${detail}` : text);
    }
    if (this.stopping) {
      return new RuntimeError(
        RuntimeErrorCode.NoWorkerAvailable,
        `${this.runtime} worker was stopped`,
      );
    }
    const text = `${this.runtime} worker ${this.pid} exited while serving the request (${how})`;
    return new RuntimeError(RuntimeErrorCode.WorkerCrashed, text, detail);
  }
}

// A class, not closures: one small object per request on the hot path.
class PendingPredict implements Pending {
  readonly op = 'predict' as const;

  constructor(
    readonly job: PredictJob,
    private readonly onSettled: (() => void) | undefined,
  ) {}

  settle(reply: WorkerReply): void {
    if (reply.ok) this.job.resolve(reply.output ?? '');
    else this.job.reject(modelError(RuntimeErrorCode.PredictFailed, reply.error));
    this.onSettled?.();
  }

  fail(error: RuntimeError): void {
    this.job.reject(error);
    this.onSettled?.();
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

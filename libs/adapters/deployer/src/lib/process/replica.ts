import { Logger } from '@nestjs/common';

import { RestartBackoff, type BackoffOptions } from '@ml-run/async';
import type { ReplicaState, ReplicaStatus } from '@ml-run/registry-contract';

import { initFailureInOutput, type ProbeResult, type ReadinessProbe } from './readiness-probe';
import type { ReplicaExit, ReplicaProcess } from './replica-process';

export type ReplicaTiming = {
  /** Probe interval until ready (and while a ready replica is not). */
  startingIntervalMs: number;
  /** Probe interval while ready. */
  readyIntervalMs: number;
  probeTimeoutMs: number;
  /** Longest a process may stay not ready, at start or later, before it is replaced. */
  readyTimeoutMs: number;
  /** SIGTERM to SIGKILL. */
  stopGraceMs: number;
};

export type ReplicaOptions = {
  id: string;
  host: string;
  /** Starts a wrapper listening on `port`. */
  launch: (port: number) => ReplicaProcess;
  freePort: (host: string) => Promise<number>;
  probe: ReadinessProbe;
  timing: ReplicaTiming;
  backoff: BackoffOptions;
  /** Called after every change of state, URL or restart count. */
  onChange: () => void;
};

/** One process incarnation of the replica; a restart makes a new one on a new port. */
type Attempt = {
  process: ReplicaProcess;
  url: string;
  startedAt: number;
  readySince?: number;
  unhealthySince?: number;
  misses: number;
  timer?: NodeJS.Timeout;
};

// A 503 is the replica's own word; a missed answer may be a busy event loop, so only the
// second one in a row counts.
const MISSES_BEFORE_UNREADY = 2;
// Another process may take the port between our check and the wrapper's listen.
const MAX_PORT_RETRIES = 3;
// The init failure line and what the runtime's stop logs after it.
const OUTPUT_LINES_SEARCHED = 20;

/**
 * A supervised replica slot: launches a wrapper, polls /readyz, reports every change, and
 * once it has been ready replaces a process that dies or stays unready, with backoff. A
 * failure before its first ready is not retried: the deploy fails with its reason.
 */
export class Replica {
  private readonly logger = new Logger(Replica.name);
  private readonly backoff: RestartBackoff;
  private readonly processes = new Set<ReplicaProcess>();
  private readonly firstReady = settleOnce();
  private state: ReplicaState = 'starting';
  private url = '';
  private restarts = 0;
  private error: string | undefined;
  private attempt: Attempt | undefined;
  private everReady = false;
  private stopped = false;
  private portRetries = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ReplicaOptions) {
    this.backoff = new RestartBackoff(options.backoff);
  }

  get id(): string {
    return this.options.id;
  }

  status(): ReplicaStatus {
    const { id } = this.options;
    const status = { id, url: this.url, state: this.state, restarts: this.restarts };
    return this.error === undefined ? status : { ...status, error: this.error };
  }

  /** Process ids still running (the current one and any still being stopped). */
  pids(): number[] {
    return [...this.processes].flatMap((each) => (each.pid === undefined ? [] : [each.pid]));
  }

  /** Launches; settles at the first ready, or rejects with the first failure's reason. */
  start(): Promise<void> {
    void this.launch();
    return this.firstReady.promise;
  }

  /** Ends every process of this replica and stops supervising it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.endAttempt();
    this.firstReady.reject(new Error(`replica ${this.id} was stopped before it was ready`));
    await Promise.all(
      [...this.processes].map((each) => each.stop(this.options.timing.stopGraceMs)),
    );
    // A failed replica keeps its state, so the last record still says why.
    if (this.state !== 'failed' && this.state !== 'stopped') this.setState('stopped');
  }

  private async launch(): Promise<void> {
    const { host } = this.options;
    let child: ReplicaProcess;
    try {
      const port = await this.options.freePort(host);
      if (this.stopped) return;
      child = this.options.launch(port);
      this.url = `http://${host}:${port}`;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return this.fail(undefined, `could not start: ${reason}`);
    }
    const attempt: Attempt = { process: child, url: this.url, startedAt: Date.now(), misses: 0 };
    this.attempt = attempt;
    this.processes.add(child);
    void child.exited.then((exit) => {
      this.processes.delete(child);
      this.onExit(attempt, exit);
    });
    this.setState('starting');
    this.schedule(attempt);
  }

  private schedule(attempt: Attempt): void {
    const { readyIntervalMs, startingIntervalMs } = this.options.timing;
    const delayMs = this.state === 'ready' ? readyIntervalMs : startingIntervalMs;
    attempt.timer = setTimeout(() => void this.probe(attempt), delayMs);
  }

  private async probe(attempt: Attempt): Promise<void> {
    const { timing } = this.options;
    const result = await this.options
      .probe(attempt.url, timing.probeTimeoutMs)
      .catch((error: unknown): ProbeResult => ({ kind: 'unreachable', reason: String(error) }));
    // Replaced, failed or stopped while the probe was out: its answer no longer matters.
    if (attempt !== this.attempt) return;
    if (result.kind === 'ready') this.onReady(attempt);
    else if (result.kind === 'not-ready' && result.initError !== undefined)
      return this.fail(attempt, initReason(attempt, result.initError));
    else if (attempt.readySince !== undefined) this.onUnhealthy(attempt, result);
    else if (Date.now() - attempt.startedAt >= timing.readyTimeoutMs)
      return this.fail(
        attempt,
        `not ready after ${timing.readyTimeoutMs} ms (${describe(result)})`,
      );
    if (attempt === this.attempt) this.schedule(attempt);
  }

  private onReady(attempt: Attempt): void {
    attempt.misses = 0;
    attempt.unhealthySince = undefined;
    attempt.readySince ??= Date.now();
    this.portRetries = 0;
    if (this.state === 'ready') return;
    this.everReady = true;
    this.error = undefined;
    this.setState('ready');
    this.firstReady.resolve();
  }

  // Once ready, a replica that stops answering or answers 503 leaves the routes at once
  // and is replaced when it stays that way for the ready timeout.
  private onUnhealthy(attempt: Attempt, result: ProbeResult): void {
    attempt.misses += 1;
    attempt.unhealthySince ??= Date.now();
    if (result.kind === 'unreachable' && attempt.misses < MISSES_BEFORE_UNREADY) return;
    const { readyTimeoutMs } = this.options.timing;
    if (Date.now() - attempt.unhealthySince >= readyTimeoutMs)
      return this.fail(attempt, `not ready for ${readyTimeoutMs} ms (${describe(result)})`);
    if (this.state !== 'ready') return;
    this.error = describe(result);
    this.logger.warn(
      { replica: this.id, url: attempt.url, reason: this.error },
      'replica not ready',
    );
    this.setState('failed');
  }

  private onExit(attempt: Attempt, exit: ReplicaExit): void {
    // Ended on purpose (stop, replacement): nothing to report.
    if (attempt !== this.attempt) return;
    const reason = attempt.process.describe(exit);
    if (
      attempt.readySince === undefined &&
      reason.includes('EADDRINUSE') &&
      this.portRetries < MAX_PORT_RETRIES
    ) {
      this.portRetries += 1;
      this.endAttempt();
      void this.launch();
      return;
    }
    this.fail(attempt, reason);
  }

  private fail(attempt: Attempt | undefined, reason: string): void {
    const healthyForMs = attempt?.readySince === undefined ? 0 : Date.now() - attempt.readySince;
    this.endAttempt();
    // Still running when it failed by its answers (init failed, unready too long).
    if (attempt?.process.running) void attempt.process.stop(this.options.timing.stopGraceMs);
    this.error = reason;
    this.logger.warn({ replica: this.id, url: attempt?.url, reason }, 'replica failed');
    this.setState('failed');
    if (!this.everReady) return this.firstReady.reject(new Error(`replica ${this.id}: ${reason}`));
    this.scheduleRestart(this.backoff.next(healthyForMs));
  }

  private scheduleRestart(delayMs: number): void {
    this.logger.log(
      { replica: this.id, delayMs, restarts: this.restarts },
      'replica restart scheduled',
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      this.restarts += 1;
      void this.launch();
    }, delayMs);
  }

  private endAttempt(): void {
    clearTimeout(this.attempt?.timer);
    this.attempt = undefined;
  }

  private setState(state: ReplicaState): void {
    this.state = state;
    this.options.onChange();
  }
}

// /readyz is public and says only INIT_FAILED; the model's words are in the replica's log,
// which the wrapper writes before it answers so.
function initReason(attempt: Attempt, fromProbe: string): string {
  return initFailureInOutput(attempt.process.output('stdout', OUTPUT_LINES_SEARCHED)) ?? fromProbe;
}

function describe(result: ProbeResult): string {
  if (result.kind === 'ready') return '/readyz answered 200';
  if (result.kind === 'not-ready') return `/readyz answered ${result.status}`;
  return `/readyz not answering: ${result.reason}`;
}

// The first-ready outcome: settles once; nobody awaiting a rejection is not an error.
function settleOnce(): {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
} {
  let resolve: () => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

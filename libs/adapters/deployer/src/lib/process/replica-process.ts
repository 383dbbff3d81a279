import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';

import { OutputTail } from './output-tail';

/** The part of a ChildProcess the deployer uses (tests hand in fakes). */
export type ReplicaChild = {
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(
    event: 'exit',
    listener: (code: number | null, signal: NodeJS.Signals | null) => void,
  ): unknown;
  once(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
};

export type SpawnReplica = (
  command: string,
  args: readonly string[],
  env: Record<string, string>,
) => ReplicaChild;

export const spawnReplica: SpawnReplica = (command, args, env) =>
  spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });

export type OutputStream = 'stdout' | 'stderr';

export type ReplicaExit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

// Output written just before the end may still sit in the pipe; wait for it, but only
// briefly, since a grandchild holding the pipe open must not hold up the exit.
const OUTPUT_DRAIN_MS = 250;

/** One wrapper process: its output tails, its exit, and a stop that always ends it. */
export class ReplicaProcess {
  readonly exited: Promise<ReplicaExit>;
  private readonly tails: Record<OutputStream, OutputTail>;
  private ended = false;

  constructor(
    private readonly child: ReplicaChild,
    onLine: (stream: OutputStream, line: string) => void = () => undefined,
  ) {
    this.tails = {
      stdout: new OutputTail((line) => onLine('stdout', line)),
      stderr: new OutputTail((line) => onLine('stderr', line)),
    };
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]?.setEncoding('utf8');
      child[stream]?.on('data', (chunk: string) => this.tails[stream].write(chunk));
    }
    this.exited = this.watchExit();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.ended;
  }

  /** Everything the replica wrote lately, for logs and error messages. */
  output(stream: OutputStream, lines?: number): string {
    return this.tails[stream].text(lines);
  }

  /** How it ended, in its own words: the tail of stderr, else of stdout. */
  describe(exit: ReplicaExit): string {
    const how = exit.error
      ? `could not start: ${exit.error.message}`
      : exit.signal
        ? `was killed by ${exit.signal}`
        : `exited with code ${exit.code}`;
    const tail = this.output('stderr') || this.output('stdout');
    return tail ? `${how}: ${tail}` : how;
  }

  /** SIGTERM, SIGKILL after `graceMs`, then the exit. */
  async stop(graceMs: number): Promise<void> {
    if (this.ended) return this.exited.then(() => undefined);
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killer);
  }

  private async watchExit(): Promise<ReplicaExit> {
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    const exit = await new Promise<ReplicaExit>((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      // 'error' also reports a failed kill of a live process; only a failed spawn ends it.
      this.child.on('error', (error) => {
        if (this.child.pid === undefined) resolve({ code: null, signal: null, error });
      });
    });
    this.ended = true;
    await Promise.race([closed, delay(OUTPUT_DRAIN_MS)]);
    this.tails.stdout.end();
    this.tails.stderr.end();
    return exit;
  }
}

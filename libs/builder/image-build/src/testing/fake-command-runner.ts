import type { CommandRunner, CommandSpec } from '../lib/build/command-runner.port';

type Pending = { spec: CommandSpec; finish: (code: number) => void };

/** Records build commands and holds each until the test ends it (or answers at once). */
export class FakeCommandRunner implements CommandRunner {
  readonly runs: CommandSpec[] = [];
  private readonly pending: Pending[] = [];
  private waiters: (() => void)[] = [];

  /** `hold`: commands wait for `finish`; otherwise they exit with `exitCode` at once. */
  constructor(
    private readonly options: { hold?: boolean; exitCode?: number; output?: string[] } = {},
  ) {}

  run(spec: CommandSpec): Promise<number> {
    this.runs.push(spec);
    for (const line of this.options.output ?? []) spec.onLine(line);
    if (!this.options.hold) return Promise.resolve(this.options.exitCode ?? 0);
    if (spec.signal?.aborted) return Promise.resolve(-1);
    return new Promise((resolve) => {
      const entry: Pending = { spec, finish: resolve };
      this.pending.push(entry);
      spec.signal?.addEventListener('abort', () => {
        this.pending.splice(this.pending.indexOf(entry), 1);
        resolve(-1);
      });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves once a command is waiting. */
  async started(): Promise<CommandSpec> {
    while (this.pending.length === 0) await new Promise<void>((wake) => this.waiters.push(wake));
    return (this.pending[0] as Pending).spec;
  }

  /** Ends the oldest waiting command, after it printed `lines`. */
  finish(code: number, lines: string[] = []): void {
    const entry = this.pending.shift();
    if (entry === undefined) throw new Error('no command is running');
    for (const line of lines) entry.spec.onLine(line);
    entry.finish(code);
  }
}

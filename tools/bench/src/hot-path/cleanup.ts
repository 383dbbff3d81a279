import { descendantsOf } from '@ml-run/process-testing';

/**
 * Everything the bench started, so it is stopped on every way out: normal end, a thrown
 * error, Ctrl-C or SIGTERM (stop() in order), and a sudden exit (SIGTERM to the pids, the
 * only thing an 'exit' handler can still do). On exit every process still under this one
 * is sent SIGTERM too: a service whose start was under way when Ctrl-C came was not added
 * yet.
 */
export class Cleanup {
  private readonly entries: { stop: () => Promise<unknown>; pids: () => number[] }[] = [];

  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        process.stderr.write(`\n${signal}: stopping the services\n`);
        void this.stopAll().finally(() => process.exit(130));
      });
    process.once('exit', () => this.killAll());
  }

  add(stop: () => Promise<unknown>, pids: () => number[]): void {
    this.entries.push({ stop, pids });
  }

  async stopAll(): Promise<void> {
    while (this.entries.length > 0)
      await this.entries
        .pop()
        ?.stop()
        .catch(() => undefined);
  }

  private killAll(): void {
    const pids = new Set([
      ...this.entries.flatMap((entry) => entry.pids()),
      ...descendantsOf(process.pid).map((p) => p.pid),
    ]);
    for (const pid of pids)
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // gone already
      }
  }
}

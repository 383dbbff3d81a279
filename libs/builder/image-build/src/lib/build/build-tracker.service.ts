import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

import type { BuildRun } from './build-run';

/** The builds running in this process; stopped (and awaited) on shutdown. */
@Injectable()
export class BuildTracker implements BeforeApplicationShutdown {
  private readonly runs = new Map<string, { run: BuildRun; done: Promise<void> }>();

  track(run: BuildRun, done: Promise<void>): void {
    const entry = { run, done };
    this.runs.set(run.record.id, entry);
    void done.finally(() => {
      if (this.runs.get(run.record.id) === entry) this.runs.delete(run.record.id);
    });
  }

  get(id: string): BuildRun | undefined {
    return this.runs.get(id)?.run;
  }

  /** Resolves when no build is running (builds started meanwhile included). */
  async idle(): Promise<void> {
    while (this.runs.size > 0) {
      await Promise.allSettled([...this.runs.values()].map((entry) => entry.done));
    }
  }

  // An interrupted build is not a failed one: it is run again on the next start.
  async beforeApplicationShutdown(): Promise<void> {
    for (const { run } of this.runs.values()) run.abort.abort();
    await this.idle();
  }
}

import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

import { RestartBackoff } from '@ml-run/async';

import type { BusEvent, EventPublisher } from './event-bus.port';

type Entry = { topic: string; event: BusEvent };

export type OutboxPublisherOptions = {
  /** Called for each failed try (logging); the event stays in the outbox. */
  onRetryFailed?: (error: unknown, pending: number) => void;
  /** Retry delays: doubling from initialMs up to maxMs. Default 500 ms to 30 s. */
  retry?: { initialMs: number; maxMs: number };
};

const SUFFIX = '.json';

/**
 * Events that must not be lost (lifecycle events after the registry changed): a publish that
 * fails is written to a folder and sent again, oldest first, until the bus takes it, also
 * after a restart. Once something waits there, newer events queue behind it, so order holds.
 * `publish` resolves once the event is sent or safely on disk.
 */
export class OutboxPublisher implements EventPublisher {
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private stored = 0;
  private backoff: RestartBackoff;

  constructor(
    private readonly inner: EventPublisher,
    private readonly dir: string,
    private readonly options: OutboxPublisherOptions = {},
  ) {
    this.backoff = this.freshBackoff();
  }

  /** Sends what an earlier run left in the outbox; call once before publishing. */
  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.pending = (await this.files()).length;
    if (this.pending > 0) this.schedule(0);
  }

  publish<E extends BusEvent>(topic: string, event: E): Promise<void> {
    const step = this.queue.then(() => this.publishInOrder({ topic, event }));
    this.queue = step.catch(() => undefined);
    return step;
  }

  /** Events waiting in the outbox (metrics, tests). */
  get waiting(): number {
    return this.pending;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private async publishInOrder(entry: Entry): Promise<void> {
    if (this.pending === 0) {
      try {
        await this.inner.publish(entry.topic, entry.event);
        return;
      } catch (error) {
        this.options.onRetryFailed?.(error, this.pending + 1);
      }
    }
    await this.store(entry);
    if (this.timer === undefined) this.schedule(this.backoff.next());
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // The queue must never stay rejected: every publish after it would be skipped.
      this.queue = this.queue
        .then(() => this.drain())
        .catch((error: unknown) => {
          this.options.onRetryFailed?.(error, this.pending);
          this.schedule(this.backoff.next());
        });
    }, delayMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (const file of await this.files()) {
      const entry = await this.read(file);
      if (entry === undefined) continue;
      try {
        await this.inner.publish(entry.topic, entry.event);
      } catch (error) {
        this.options.onRetryFailed?.(error, this.pending);
        this.schedule(this.backoff.next());
        return;
      }
      await rm(path.join(this.dir, file), { force: true });
      this.pending--;
    }
    this.backoff = this.freshBackoff();
  }

  // A file no one can parse would hold every later event back for ever: set it aside.
  private async read(file: string): Promise<Entry | undefined> {
    const text = await readFile(path.join(this.dir, file), 'utf8');
    try {
      return JSON.parse(text) as Entry;
    } catch (error) {
      await rename(path.join(this.dir, file), path.join(this.dir, `${file}.unreadable`));
      this.pending--;
      this.options.onRetryFailed?.(error, this.pending);
      return undefined;
    }
  }

  private freshBackoff(): RestartBackoff {
    const retry = this.options.retry ?? { initialMs: 500, maxMs: 30_000 };
    return new RestartBackoff({ ...retry, resetAfterMs: Number.POSITIVE_INFINITY });
  }

  // Names sort in the order events were stored: zero-padded time and sequence number.
  private async store(entry: Entry): Promise<void> {
    const sequence = String(this.stored++).padStart(9, '0');
    const name = `${String(Date.now()).padStart(15, '0')}-${sequence}-${randomUUID()}`;
    const temp = path.join(this.dir, `${name}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(entry));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path.join(this.dir, `${name}${SUFFIX}`));
    this.pending++;
  }

  private async files(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((name) => name.endsWith(SUFFIX)).sort();
  }
}

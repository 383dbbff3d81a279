import { Worker } from 'node:worker_threads';

// The sleeping thread's whole program, inline: the bench runs as one bundle, so there is
// no file of its own to point a Worker at.
const SLEEPER = `
const { parentPort } = require('node:worker_threads');
const cell = new Int32Array(new SharedArrayBuffer(4));
parentPort.on('message', (ms) => {
  if (ms > 0) Atomics.wait(cell, 0, 0, ms);
  parentPort.postMessage(0);
});`;

/**
 * Sub-millisecond sleeps without spinning. libuv's timers count whole milliseconds, and
 * polling the event loop for the rest burns a core (at a few thousand arrivals a second
 * the next one is nearly always under a millisecond away): a thread of its own sleeps the
 * fraction (Atomics.wait takes a fractional timeout) and wakes the loop with a message,
 * which stays free for the answers meanwhile. One sleep at a time.
 */
export class FineTimer {
  private readonly worker = new Worker(SLEEPER, { eval: true });
  private pending: (() => void) | undefined;

  constructor() {
    this.worker.on('message', () => {
      const wake = this.pending;
      this.pending = undefined;
      wake?.();
    });
  }

  /** Resolves once the thread runs (before a schedule starts: starting it takes ~30 ms). */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.worker.once('online', () => resolve());
      this.worker.once('error', reject);
    });
  }

  /** Calls `wake` after `ms` (fractional); replaces a sleep not yet over. */
  after(ms: number, wake: () => void): void {
    this.pending = wake;
    this.worker.postMessage(ms);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

import type { SecondCounts } from './types';

type Counter = 'sent' | 'ok' | 'unauthorized' | 'logins';

/** Events counted in the wall-clock second they happen, from the run's start. */
export class PerSecondCounts {
  private readonly seconds: SecondCounts[] = [];

  constructor(
    private readonly startedAt: number,
    private readonly warmupSeconds: number,
  ) {}

  add(counter: Counter, now = performance.now()): void {
    const t = Math.max(0, Math.floor((now - this.startedAt) / 1000));
    for (let i = this.seconds.length; i <= t; i++)
      this.seconds.push({
        t: i,
        measured: i >= this.warmupSeconds,
        sent: 0,
        ok: 0,
        unauthorized: 0,
        logins: 0,
      });
    const second = this.seconds[t];
    if (second) second[counter]++;
  }

  series(): SecondCounts[] {
    return this.seconds;
  }
}

// Delay before replacing something that died (a python worker, a replica): doubles per
// failure so a crash loop cannot spin, and starts over once it stayed healthy long enough.
export type BackoffOptions = { initialMs: number; maxMs: number; resetAfterMs: number };

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 100,
  maxMs: 10_000,
  resetAfterMs: 60_000,
};

export class RestartBackoff {
  private nextMs: number;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {
    this.nextMs = options.initialMs;
  }

  /** The delay for the next replacement, given how long the lost one had been healthy. */
  next(healthyForMs = 0): number {
    if (healthyForMs >= this.options.resetAfterMs) this.nextMs = this.options.initialMs;
    const delayMs = this.nextMs;
    this.nextMs = Math.min(delayMs * 2, this.options.maxMs);
    return delayMs;
  }
}

import { exponentialDelayMs } from './exponential-delay';

// Delay before replacing something that died (a python worker, a replica): doubles per
// failure so a crash loop cannot spin, and starts over once it stayed healthy long enough.
export type BackoffOptions = { initialMs: number; maxMs: number; resetAfterMs: number };

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 100,
  maxMs: 10_000,
  resetAfterMs: 60_000,
};

export class RestartBackoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The delay for the next replacement, given how long the lost one had been healthy. */
  next(healthyForMs = 0): number {
    if (healthyForMs >= this.options.resetAfterMs) this.failures = 0;
    return exponentialDelayMs(this.failures++, this.options);
  }
}

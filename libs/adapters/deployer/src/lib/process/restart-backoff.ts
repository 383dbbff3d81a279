// Delay before each replica restart: doubles per failure so a crash loop cannot spin, and
// starts over once the replica has stayed ready long enough. (The model-wrapper keeps its
// own copy for python workers; libs do not import each other's internals.)
export type BackoffOptions = { initialMs: number; maxMs: number; resetAfterMs: number };

export const DEFAULT_RESTART_BACKOFF: BackoffOptions = {
  initialMs: 200,
  maxMs: 10_000,
  resetAfterMs: 60_000,
};

export class RestartBackoff {
  private nextMs: number;

  constructor(private readonly options: BackoffOptions = DEFAULT_RESTART_BACKOFF) {
    this.nextMs = options.initialMs;
  }

  /** The delay for the next restart, given how long the lost replica had been ready. */
  next(healthyForMs = 0): number {
    if (healthyForMs >= this.options.resetAfterMs) this.nextMs = this.options.initialMs;
    const delayMs = this.nextMs;
    this.nextMs = Math.min(delayMs * 2, this.options.maxMs);
    return delayMs;
  }
}

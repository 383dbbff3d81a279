/** Bounds the predictions a replica serves at once (MLRUN_MAX_INFLIGHT). */
export class InflightGate {
  private count = 0;

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.count;
  }

  /** Takes a slot, or returns false when all are taken. */
  tryAcquire(): boolean {
    if (this.count >= this.limit) return false;
    this.count++;
    return true;
  }

  release(): void {
    if (this.count > 0) this.count--;
  }
}

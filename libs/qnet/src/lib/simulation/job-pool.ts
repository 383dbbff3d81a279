// Jobs in the network as indices into typed arrays, recycled through a free list, so a
// run allocates only when the population reaches a new high.
export class JobPool {
  /** When the job entered the network (for the end-to-end response time). */
  enteredAt = new Float64Array(1024);
  /** When the job joined its current station (for wait and sojourn). */
  arrivedAt = new Float64Array(1024);
  /** Index of the station the job is at. */
  station = new Int32Array(1024);
  /** The server whose queue the job joined, at a station with split queues. */
  server = new Int32Array(1024);
  private free = new Int32Array(1024);
  private freeCount = 0;
  private created = 0;

  allocate(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount];
    if (this.created === this.enteredAt.length) this.grow();
    return this.created++;
  }

  release(job: number): void {
    this.free[this.freeCount++] = job;
  }

  private grow(): void {
    const capacity = this.enteredAt.length * 2;
    this.enteredAt = copyInto(new Float64Array(capacity), this.enteredAt);
    this.arrivedAt = copyInto(new Float64Array(capacity), this.arrivedAt);
    this.station = copyInto(new Int32Array(capacity), this.station);
    this.server = copyInto(new Int32Array(capacity), this.server);
    this.free = copyInto(new Int32Array(capacity), this.free);
  }
}

function copyInto<T extends Float64Array | Int32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}

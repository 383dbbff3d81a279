// A binary min-heap of (time, payload) pairs in two parallel typed arrays: no object
// per event, so the simulator allocates nothing in its inner loop.
// A module constant, not the global `Infinity`: globals are slow to read under Jest.
const NO_EVENT = Number.POSITIVE_INFINITY;

export class EventHeap {
  private times: Float64Array;
  private payloads: Int32Array;
  private count = 0;

  constructor(initialCapacity = 64) {
    this.times = new Float64Array(initialCapacity);
    this.payloads = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event; Infinity when the heap is empty. */
  minTime(): number {
    return this.count > 0 ? this.times[0] : NO_EVENT;
  }

  /** Payload of the earliest event (read `minTime()` first). */
  minPayload(): number {
    return this.payloads[0];
  }

  push(time: number, payload: number): void {
    if (this.count === this.times.length) this.grow();
    let hole = this.count++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      if (this.times[parent] <= time) break;
      this.times[hole] = this.times[parent];
      this.payloads[hole] = this.payloads[parent];
      hole = parent;
    }
    this.times[hole] = time;
    this.payloads[hole] = payload;
  }

  /** Removes the earliest event. */
  removeMin(): void {
    const last = --this.count;
    if (last <= 0) return;
    const time = this.times[last];
    const payload = this.payloads[last];
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= last) break;
      if (child + 1 < last && this.times[child + 1] < this.times[child]) child++;
      if (this.times[child] >= time) break;
      this.times[hole] = this.times[child];
      this.payloads[hole] = this.payloads[child];
      hole = child;
    }
    this.times[hole] = time;
    this.payloads[hole] = payload;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const payloads = new Int32Array(this.payloads.length * 2);
    times.set(this.times);
    payloads.set(this.payloads);
    this.times = times;
    this.payloads = payloads;
  }
}

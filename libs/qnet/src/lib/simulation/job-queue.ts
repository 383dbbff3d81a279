// A station's FIFO waiting line: a growable ring buffer of job ids.
export class JobQueue {
  private jobs = new Int32Array(256);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  enqueue(job: number): void {
    if (this.count === this.jobs.length) this.grow();
    this.jobs[(this.head + this.count) & (this.jobs.length - 1)] = job;
    this.count++;
  }

  /** Removes and returns the oldest job; the queue must not be empty. */
  dequeue(): number {
    const job = this.jobs[this.head];
    this.head = (this.head + 1) & (this.jobs.length - 1);
    this.count--;
    return job;
  }

  // Capacity stays a power of two so wrapping is a bit mask.
  private grow(): void {
    const jobs = new Int32Array(this.jobs.length * 2);
    for (let i = 0; i < this.count; i++)
      jobs[i] = this.jobs[(this.head + i) & (this.jobs.length - 1)];
    this.jobs = jobs;
    this.head = 0;
  }
}

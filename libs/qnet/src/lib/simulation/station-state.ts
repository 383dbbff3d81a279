import { JobQueue } from './job-queue';
import { LogHistogram } from './log-histogram';
import { type ServiceSampler } from './service-time';

// One station during a run: its model (servers, service, routing) and its counters.
// Counters only move for events after the warmup.
export class StationState {
  /** Servers busy, over all queues. */
  busy = 0;
  /** The shared FIFO queue (unused with split queues). */
  readonly queue = new JobQueue();
  /** With split queues: each server's own FIFO queue and whether it is busy; else empty. */
  readonly serverQueues: JobQueue[];
  readonly serverBusy: Uint8Array;
  arrivals = 0;
  completions = 0;
  busyServerSeconds = 0;
  lastBusyChange = 0;
  waitSum = 0;
  waits = 0;
  sojournSum = 0;
  readonly sojourns = new LogHistogram();

  constructor(
    readonly name: string,
    readonly servers: number,
    readonly serviceRate: number,
    readonly externalRate: number,
    readonly service: ServiceSampler,
    /** c single-server queues, an arrival joining one uniformly at random. */
    readonly split: boolean,
    /** Next-station indices and their cumulative probabilities; beyond the last, exit. */
    readonly routeTargets: Int32Array,
    readonly routeCumulative: Float64Array,
  ) {
    this.serverQueues = split ? Array.from({ length: servers }, () => new JobQueue()) : [];
    this.serverBusy = new Uint8Array(split ? servers : 0);
  }
}

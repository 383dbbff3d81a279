import { JobQueue } from './job-queue';
import { LogHistogram } from './log-histogram';

// One station during a run: its model (servers, service, routing) and its counters.
// Counters only move for events after the warmup.
export class StationState {
  busy = 0;
  readonly queue = new JobQueue();
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
    /** Measured service times to resample from; null means exponential(serviceRate). */
    readonly serviceSamples: Float64Array | null,
    /** Next-station indices and their cumulative probabilities; beyond the last, exit. */
    readonly routeTargets: Int32Array,
    readonly routeCumulative: Float64Array,
  ) {}
}

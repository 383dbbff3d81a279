import { EventHeap } from './event-heap';
import { gammaVariate } from './gamma-variate';
import { JobPool } from './job-pool';
import { LogHistogram } from './log-histogram';
import { StationState } from './station-state';

// Event payloads are plain integers so the heap stays two typed arrays: a job id (>= 0)
// is that job's service completion; -(s + 1) is the next external arrival at station s.
const externalArrivalOf = (station: number): number => -(station + 1);

// Globals read once: under Jest (a vm context) every read of `Math` in the loop is a
// slow intercepted global lookup, which made the simulator about five times slower.
const { floor, log } = Math;

// The event loop. Statistics cover [warmup, end]: a wait or sojourn counts when the job
// arrived at the station after the warmup and finished by the end, a response time when
// the job entered the network after the warmup and left by the end.
export class SimulationEngine {
  readonly responses = new LogHistogram();
  responseSum = 0;
  eventsProcessed = 0;
  private now = 0;
  private readonly heap = new EventHeap();
  private readonly jobs = new JobPool();

  constructor(
    readonly stations: readonly StationState[],
    private readonly rng: () => number,
    private readonly warmup: number,
    private readonly end: number,
  ) {}

  run(): void {
    this.stations.forEach((station, index) => {
      if (station.externalRate > 0) {
        this.heap.push(this.exponential(station.externalRate), externalArrivalOf(index));
      }
    });
    const heap = this.heap;
    while (heap.minTime() <= this.end) {
      this.now = heap.minTime();
      const payload = heap.minPayload();
      heap.removeMin();
      this.eventsProcessed++;
      if (payload >= 0) this.completeService(payload);
      else this.arriveFromOutside(-payload - 1);
    }
    this.now = this.end;
    for (const station of this.stations) this.accrueBusyTime(station);
  }

  private arriveFromOutside(index: number): void {
    const station = this.stations[index];
    this.heap.push(this.now + this.exponential(station.externalRate), externalArrivalOf(index));
    const job = this.jobs.allocate();
    this.jobs.enteredAt[job] = this.now;
    this.arrive(job, index);
  }

  private arrive(job: number, index: number): void {
    const station = this.stations[index];
    this.jobs.arrivedAt[job] = this.now;
    this.jobs.station[job] = index;
    if (this.now >= this.warmup) station.arrivals++;
    if (station.split) {
      const server = floor(this.rng() * station.servers);
      this.jobs.server[job] = server;
      if (station.serverBusy[server] === 0) this.startService(job, station);
      else station.serverQueues[server].enqueue(job);
    } else if (station.busy < station.servers) this.startService(job, station);
    else station.queue.enqueue(job);
  }

  private startService(job: number, station: StationState): void {
    this.accrueBusyTime(station);
    station.busy++;
    if (station.split) station.serverBusy[this.jobs.server[job]] = 1;
    const arrivedAt = this.jobs.arrivedAt[job];
    if (arrivedAt >= this.warmup) {
      station.waitSum += this.now - arrivedAt;
      station.waits++;
    }
    this.heap.push(this.now + this.serviceTime(station), job);
  }

  private completeService(job: number): void {
    const station = this.stations[this.jobs.station[job]];
    this.accrueBusyTime(station);
    station.busy--;
    if (this.now >= this.warmup) station.completions++;
    const arrivedAt = this.jobs.arrivedAt[job];
    if (arrivedAt >= this.warmup) {
      station.sojournSum += this.now - arrivedAt;
      station.sojourns.record(this.now - arrivedAt);
    }
    // The next in line starts before the finished job is routed, so a job fed back to
    // this station queues behind it (FIFO).
    const queue = station.split ? station.serverQueues[this.jobs.server[job]] : station.queue;
    if (station.split) station.serverBusy[this.jobs.server[job]] = 0;
    if (queue.size > 0) this.startService(queue.dequeue(), station);
    const next = this.nextStation(station);
    if (next >= 0) this.arrive(job, next);
    else this.leave(job);
  }

  private leave(job: number): void {
    const enteredAt = this.jobs.enteredAt[job];
    if (enteredAt >= this.warmup) {
      this.responseSum += this.now - enteredAt;
      this.responses.record(this.now - enteredAt);
    }
    this.jobs.release(job);
  }

  private nextStation(station: StationState): number {
    const u = this.rng();
    const cumulative = station.routeCumulative;
    for (let i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) return station.routeTargets[i];
    }
    return -1;
  }

  // Busy-server time integrated over the measured window only.
  private accrueBusyTime(station: StationState): void {
    const from = station.lastBusyChange > this.warmup ? station.lastBusyChange : this.warmup;
    if (this.now > from) station.busyServerSeconds += station.busy * (this.now - from);
    station.lastBusyChange = this.now;
  }

  private serviceTime(station: StationState): number {
    const service = station.service;
    switch (service.kind) {
      case 'exponential':
        return this.exponential(station.serviceRate);
      case 'deterministic':
        return 1 / station.serviceRate;
      case 'gamma':
        return gammaVariate(service.shape, this.rng) / (service.shape * station.serviceRate);
      case 'empirical':
        return service.samples[floor(this.rng() * service.samples.length)];
    }
  }

  private exponential(rate: number): number {
    return -log(1 - this.rng()) / rate;
  }
}

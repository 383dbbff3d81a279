// The bench's load generator: open loop (Poisson, latency from the schedule), closed loop
// (fixed concurrency), CPU pinning, and a /metrics scraper. README: tools/bench/README.md.
export { runClosedLoop } from './closed-loop';
export { increaseOver, ratePerSecond, scrapeCounters, scrapeEverySecond } from './metrics-scraper';
export { runOpenLoop } from './open-loop';
export { LoadgenOptionError } from './options';
export { pinProcessTree, runPinned, type PinnedJob } from './pinning';
export { poissonArrivals, type Arrival } from './poisson-schedule';
export { parsePrometheusText, sumOf } from './prometheus-text';
export type * from './types';

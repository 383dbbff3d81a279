import { type Station } from '../network';
import { erlangC } from './erlang';
import { mmcMetrics, type QueueMetrics } from './mmc';

// Bisection on the sojourn tail: 200 halvings reach double precision from any bracket.
const BISECTION_STEPS = 200;
const { exp, log } = Math;

/**
 * One station's steady-state means under its queue discipline and service variability:
 * - shared queue, exponential service: M/M/c (Erlang C);
 * - `queues: 'split'`: c independent single-server queues at λ/c each;
 * - `serviceScv` c_s² ≠ 1: Wq = Wq(M/M/c)·(1 + c_s²)/2 (Allen–Cunneen with Poisson
 *   arrivals), which for one server per queue is exactly Pollaczek–Khinchine.
 * ρ does not depend on either. Overloaded stations get infinite waits (see mmcMetrics).
 *
 * @example
 * stationMetrics(5, { name: 'a', servers: 1, serviceRate: 10, serviceScv: 0 }).meanWait; // M/D/1: 0.05 s
 */
export function stationMetrics(arrivalRate: number, station: Station): QueueMetrics {
  const { servers, serviceRate } = station;
  const split = station.queues === 'split' && servers > 1;
  const base = split
    ? perQueueTotals(mmcMetrics(arrivalRate / servers, 1, serviceRate), servers)
    : mmcMetrics(arrivalRate, servers, serviceRate);
  const scv = station.serviceScv ?? 1;
  if (scv === 1 || !Number.isFinite(base.meanWait)) return base;
  const meanWait = (base.meanWait * (1 + scv)) / 2;
  const meanSojourn = meanWait + 1 / serviceRate;
  return {
    ...base,
    meanWait,
    meanSojourn,
    meanInQueue: arrivalRate * meanWait,
    meanInSystem: arrivalRate * meanSojourn,
  };
}

// c identical M/M/1 queues: the same per-visit times, c times the jobs.
function perQueueTotals(one: QueueMetrics, queues: number): QueueMetrics {
  return { ...one, meanInQueue: one.meanInQueue * queues, meanInSystem: one.meanInSystem * queues };
}

/**
 * The q-quantile of one visit's sojourn (wait + service) where it is exact, else null.
 * Exact for exponential service under FIFO: an M/M/1 sojourn is exponential with rate
 * μ − λ; an M/M/c wait is 0 with probability 1 − C(c, a) and otherwise exponential with
 * rate cμ − λ, independent of the job's own exponential service, so
 * P(T > t) = (1 − C)·e^(−μt) + C·P(Exp(cμ − λ) + Exp(μ) > t), solved for t by bisection.
 * Split queues are M/M/1 at λ/c. Non-exponential service (serviceScv ≠ 1) or ρ ≥ 1 gives
 * null: take percentiles from the simulator then (`replicate`).
 *
 * @example
 * sojournQuantile(5, { name: 'a', servers: 1, serviceRate: 10 }, 0.99); // ln(100)/5 = 0.921 s
 */
export function sojournQuantile(arrivalRate: number, station: Station, q: number): number | null {
  const scv = station.serviceScv ?? 1;
  if (scv !== 1 || !(q > 0 && q < 1)) return null;
  const split = station.queues === 'split' && station.servers > 1;
  const servers = split ? 1 : station.servers;
  const lambda = split ? arrivalRate / station.servers : arrivalRate;
  const mu = station.serviceRate;
  if (!(lambda < servers * mu)) return null;
  if (servers === 1) return -log(1 - q) / (mu - lambda);
  const waiting = erlangC(servers, lambda / mu);
  const theta = servers * mu - lambda;
  const tail = (t: number): number =>
    (1 - waiting) * exp(-mu * t) + waiting * hypoexponentialTail(theta, mu, t);
  let low = 0;
  let high = -log(1 - q) / Math.min(theta, mu) + -log(1 - q) / mu;
  for (let step = 0; step < BISECTION_STEPS && high - low > 1e-15 * high; step++) {
    const middle = (low + high) / 2;
    if (tail(middle) > 1 - q) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

// P(Exp(a) + Exp(b) > t).
function hypoexponentialTail(a: number, b: number, t: number): number {
  if (Math.abs(a - b) < 1e-12 * b) return (1 + b * t) * exp(-b * t);
  return (a * exp(-b * t) - b * exp(-a * t)) / (a - b);
}

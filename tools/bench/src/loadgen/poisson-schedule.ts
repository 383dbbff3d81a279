import { seededRandom } from './random';

/** One arrival: when it is due (ms from the schedule's start) and whose it is. */
export type Arrival = { atMs: number; client: number };

/**
 * Poisson arrivals at `rate` per second, each drawn to one of `clients` uniformly: the
 * superposition of `clients` independent Poisson streams of rate/clients. Endless; the
 * caller stops at its horizon. Gaps are exponential, -ln(U)/rate.
 */
export function* poissonArrivals(rate: number, clients: number, seed: number): Generator<Arrival> {
  if (!(rate > 0)) throw new Error(`rate must be > 0 requests per second, got ${rate}`);
  const random = seededRandom(seed);
  let atMs = 0;
  for (;;) {
    // 1 - U lies in (0, 1]: the log is finite.
    atMs += (-Math.log(1 - random()) / rate) * 1000;
    yield { atMs, client: Math.floor(random() * Math.max(1, clients)) };
  }
}

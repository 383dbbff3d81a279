import { QnetError } from '../network';
import { invalidSimulationOption } from './simulation-errors';

const TWO_POW_32 = 4294967296;
const GOLDEN_GAMMA = 0x9e3779b9;

// splitmix32 spreads a seed over all 32 bits, so nearby seeds (1, 2, 3, ...) give
// unrelated streams; it also derives the replication seeds.
function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + GOLDEN_GAMMA) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

// Any integer seed, also beyond 32 bits (e.g. a timestamp), folded to 32 bits.
function foldSeed(seed: number): number {
  if (!Number.isInteger(seed)) {
    throw invalidSimulationOption(`seed must be an integer, got ${seed}`);
  }
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  return (seed >>> 0) ^ Math.imul(high, 0x27d4eb2f);
}

/**
 * A seeded uniform generator on [0, 1) (sfc32, seeded through splitmix32). Same seed,
 * same sequence; 32 bits of resolution per draw.
 *
 * @example
 * const rng = createRng(42);
 * const u = rng(); // 0 <= u < 1, identical on every run with seed 42
 */
export function createRng(seed: number): () => number {
  const seeder = splitmix32(foldSeed(seed));
  let a = seeder();
  let b = seeder();
  let c = seeder();
  let d = seeder();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / TWO_POW_32;
  };
  // The first outputs of sfc32 still correlate with the seed words.
  for (let i = 0; i < 12; i++) next();
  return next;
}

/**
 * An exponential variate with the given rate (mean 1 / rate), by inversion.
 *
 * @example
 * const serviceSeconds = exponential(createRng(1), 20); // mean 0.05 s
 */
export function exponential(rng: () => number, rate: number): number {
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new QnetError('NEGATIVE_RATE', `exponential rate must be positive, got ${rate}`);
  }
  // 1 - u lies in (0, 1], so the logarithm is finite.
  return -Math.log(1 - rng()) / rate;
}

/**
 * The seed of replication `run` (0, 1, 2, ...) derived from a base seed: distinct runs
 * get unrelated streams, and the whole replication is reproducible from one seed.
 *
 * @example
 * const seeds = [0, 1, 2].map((run) => replicationSeed(7, run));
 */
export function replicationSeed(seed: number, run: number): number {
  const mix = splitmix32(foldSeed(seed) ^ Math.imul(run + 1, GOLDEN_GAMMA));
  mix();
  return mix();
}

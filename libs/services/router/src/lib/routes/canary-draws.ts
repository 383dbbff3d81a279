import { LRUCache } from 'lru-cache';

/** A draw in [0, 1) for the next request to one model's alias. */
export type CanaryDraw = (alias: string) => number;

// 1/φ: successive multiples of it mod 1 fill [0, 1) more evenly than any other step, so
// after n requests an alias's versions have each had their weight's share ± about 2,
// where random draws stray by √n (a 90/10 canary over 200 requests: 180 ± 2, not ± 8.5).
const GOLDEN_STEP = (Math.sqrt(5) - 1) / 2;

// Keys come from request paths, so the table of sequences is bounded.
const MAX_ALIASES = 4096;

/**
 * Canary draws from one low-discrepancy (golden-ratio Weyl) sequence per alias, each
 * starting at a random point, so routers do not march in step.
 */
export function evenCanaryDraws(start: () => number = Math.random): CanaryDraw {
  const positions = new LRUCache<string, { at: number }>({ max: MAX_ALIASES });
  return (alias) => {
    let position = positions.get(alias);
    if (position === undefined) {
      position = { at: start() };
      positions.set(alias, position);
    }
    position.at = (position.at + GOLDEN_STEP) % 1;
    return position.at;
  };
}

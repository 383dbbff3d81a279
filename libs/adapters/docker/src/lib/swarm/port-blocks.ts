/** The ports a deployer may hand out, inclusive; one block of `blockSize` per deployment. */
export type PortRange = { first: number; last: number };

export const DEFAULT_PORT_RANGE: PortRange = { first: 21_000, last: 29_999 };
export const PORT_BLOCK_SIZE = 100;
// Slots count from 1, so a block holds base+1 … base+99.
export const MAX_REPLICAS = PORT_BLOCK_SIZE - 1;

/** The lowest block base in `range` that no `used` base falls into; undefined when full. */
export function freePortBlock(range: PortRange, used: Iterable<number>): number | undefined {
  const taken = new Set<number>();
  // A base from another range may straddle two of ours.
  for (const base of used) {
    taken.add(Math.floor((base - range.first) / PORT_BLOCK_SIZE));
    taken.add(Math.floor((base + PORT_BLOCK_SIZE - 1 - range.first) / PORT_BLOCK_SIZE));
  }
  for (let base = range.first; base + PORT_BLOCK_SIZE - 1 <= range.last; base += PORT_BLOCK_SIZE) {
    if (!taken.has((base - range.first) / PORT_BLOCK_SIZE)) return base;
  }
  return undefined;
}

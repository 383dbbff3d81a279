import type { Upstream } from './upstream';
import type { UpstreamPool } from './upstream-pool';

/** How long a replica whose connection failed stays out of rotation, unless an event clears it. */
export const SUSPECT_COOLDOWN_MS = 2000;

export function isAvailable(upstream: Upstream, now: number): boolean {
  return upstream.suspectUntil <= now;
}

export function hasAvailable(pool: UpstreamPool | undefined, now: number): boolean {
  return pool?.upstreams.some((upstream) => isAvailable(upstream, now)) ?? false;
}

/**
 * The available replica with the fewest outstanding requests; ties go round-robin, so equal
 * replicas share an idle period's traffic evenly. `exclude` is the replica that just failed.
 */
export function pickLeastOutstanding(
  pool: UpstreamPool,
  now: number,
  exclude?: Upstream,
): Upstream | undefined {
  const { upstreams } = pool;
  let best: Upstream | undefined;
  let bestIndex = 0;
  for (let offset = 0; offset < upstreams.length; offset++) {
    const index = (pool.cursor + offset) % upstreams.length;
    const candidate = upstreams[index];
    if (!candidate || candidate === exclude || !isAvailable(candidate, now)) continue;
    if (!best || candidate.outstanding < best.outstanding) {
      best = candidate;
      bestIndex = index;
    }
  }
  if (best) pool.cursor = (bestIndex + 1) % upstreams.length;
  return best;
}

/** Keeps a replica out of rotation for SUSPECT_COOLDOWN_MS after its connection failed. */
export function markSuspect(upstream: Upstream, now: number): void {
  upstream.suspectUntil = now + SUSPECT_COOLDOWN_MS;
}

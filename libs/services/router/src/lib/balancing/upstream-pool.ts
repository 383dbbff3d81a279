import { createUpstream, retireUpstream, type Upstream } from './upstream';

/** The READY replicas of one model version, with the round-robin cursor that breaks ties. */
export type UpstreamPool = {
  readonly name: string;
  readonly version: string;
  upstreams: Upstream[];
  cursor: number;
};

export function createPool(name: string, version: string): UpstreamPool {
  return { name, version, upstreams: [], cursor: 0 };
}

/**
 * Makes the pool's replicas exactly `urls`. Replicas already known keep their outstanding
 * counts (and sockets); being listed READY again clears a suspicion. Returns the URLs that
 * are not usable upstream addresses.
 */
export function syncPool(pool: UpstreamPool, urls: readonly string[]): string[] {
  const known = new Map(pool.upstreams.map((upstream) => [upstream.url, upstream]));
  const next: Upstream[] = [];
  const invalid: string[] = [];
  for (const url of new Set(urls)) {
    const kept = known.get(url);
    known.delete(url);
    const upstream = kept ?? createUpstream(url);
    if (!upstream) {
      invalid.push(url);
      continue;
    }
    upstream.suspectUntil = 0;
    next.push(upstream);
  }
  for (const gone of known.values()) retireUpstream(gone);
  pool.upstreams = next;
  if (pool.cursor >= next.length) pool.cursor = 0;
  return invalid;
}

/** Retires every replica of the pool (the version was undeployed). */
export function drainPool(pool: UpstreamPool): void {
  for (const upstream of pool.upstreams) retireUpstream(upstream);
  pool.upstreams = [];
  pool.cursor = 0;
}

// An independent Monte Carlo of clients, tokens and per-replica L1 caches, used by the
// specs to check staleProbability and l1MissProbability. It replays the mechanism, not
// the formulas: Poisson requests, uniform replica choice, TTL entries keyed by token, and
// (with staleRequests 'retry') the retry a client sends with its new token after a 401.

import { createRng } from '../simulation/rng';

// Local aliases: under Jest each `Math.` lookup crosses the test sandbox's global proxy,
// which makes the hot loop about 15 times slower.
const { floor, log, min } = Math;

/** One simulated workload; times in seconds. */
export type L1CacheScenario = {
  readonly rate: number;
  readonly clients: number;
  readonly wrappers: number;
  readonly l1TtlSeconds: number;
  readonly tokenLifetimeSeconds: number;
  /** Simulated time, warm-up included. */
  readonly horizonSeconds: number;
  /** Requests before this time are not counted (tokens all start fresh at 0). */
  readonly warmupSeconds: number;
  readonly seed: number;
  /** After a 401 and the login: 'leave' (default) or 'retry' at once with the new token. */
  readonly staleRequests?: 'leave' | 'retry';
};

export type L1CacheEstimate = {
  /** Counted token checks: fresh requests plus retries. */
  readonly requests: number;
  /** Of those, retries after a 401 (0 unless staleRequests is 'retry'). */
  readonly retries: number;
  /** Requests that found their token aged (401, then a login). */
  readonly stale: number;
  /** Requests with a valid token, checked against a replica's L1. */
  readonly checked: number;
  readonly misses: number;
};

/** Runs the scenario; the estimates are ratios of the returned counts. */
export function simulateL1Cache(scenario: L1CacheScenario): L1CacheEstimate {
  const { rate, clients, wrappers, horizonSeconds, warmupSeconds } = scenario;
  const random = createRng(scenario.seed);
  const state = newState(clients, wrappers);
  const counts = { requests: 0, retries: 0, stale: 0, checked: 0, misses: 0 };
  const count = (t: number, outcome: Outcome): void => {
    if (t < warmupSeconds) return;
    counts.requests++;
    if (outcome === 'stale') counts.stale++;
    else counts.checked++;
    if (outcome === 'miss') counts.misses++;
  };
  // Superposed Poisson stream of all clients; each request belongs to a uniform client.
  for (let t = -log(1 - random()) / rate; t < horizonSeconds;) {
    const client = floor(random() * clients);
    const outcome = serve(state, scenario, t, client, floor(random() * wrappers));
    count(t, outcome);
    if (outcome === 'stale' && scenario.staleRequests === 'retry') {
      // The login takes no time here (it is short against T): the retry follows at once,
      // through the router to a uniform replica, with the new token.
      const retried = serve(state, scenario, t, client, floor(random() * wrappers));
      count(t, retried);
      if (t >= warmupSeconds) counts.retries++;
    }
    t += -log(1 - random()) / rate;
  }
  return counts;
}

type Outcome = 'stale' | 'hit' | 'miss';

type CacheState = {
  readonly tokenOf: Int32Array;
  readonly issuedAt: Float64Array;
  readonly cachedToken: Int32Array;
  readonly freshUntil: Float64Array;
  nextToken: number;
};

function newState(clients: number, wrappers: number): CacheState {
  return {
    tokenOf: Int32Array.from({ length: clients }, (_, i) => i),
    issuedAt: new Float64Array(clients),
    cachedToken: new Int32Array(clients * wrappers).fill(-1),
    freshUntil: new Float64Array(clients * wrappers),
    nextToken: clients,
  };
}

function serve(
  state: CacheState,
  scenario: L1CacheScenario,
  now: number,
  client: number,
  replica: number,
): Outcome {
  const expiresAt = state.issuedAt[client] + scenario.tokenLifetimeSeconds;
  if (now >= expiresAt) {
    // 401: the client logs in; its next request carries the new token.
    state.tokenOf[client] = state.nextToken++;
    state.issuedAt[client] = now;
    return 'stale';
  }
  const slot = client * scenario.wrappers + replica;
  const token = state.tokenOf[client];
  if (state.cachedToken[slot] === token && now < state.freshUntil[slot]) return 'hit';
  // Same rule as the wrapper's L1: fresh until min(token expiry, now + TTL).
  state.cachedToken[slot] = token;
  state.freshUntil[slot] = min(expiresAt, now + scenario.l1TtlSeconds);
  return 'miss';
}

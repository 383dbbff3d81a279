import {
  assertAboveZero,
  assertAtLeastZero,
  assertProbability,
  assertServerCount,
} from './parameter-checks';
import { poissonTailAtLeast } from './poisson-tail';

// Past this many terms the exact sum costs more than it adds: the asymptotic form is
// then off by far less than 1/2000 of p_miss.
const EXACT_TERMS_LIMIT = 2000;
// A local alias: under Jest each `Math.` lookup crosses the sandbox's global proxy.
const { max } = Math;

/** The workload figures that decide how often a client's token has aged. */
export type StaleInputs = {
  readonly rate: number;
  readonly clients: number;
  readonly tokenLifetimeSeconds: number;
};

/** The workload figures that decide how often the wrappers' L1 cache misses. */
export type MissInputs = StaleInputs & {
  /** K, the replicas a client's requests are spread over. */
  readonly wrappers: number;
  readonly l1TtlSeconds: number;
};

/**
 * p_stale: fraction of requests that carry an aged token (answered 401, then the client
 * logs in at the issuer). Each client sends a Poisson stream of λ_c = rate/clients; its
 * token serves every request for T seconds, and its first request after that is stale.
 * A client's cycle is T of valid requests (λ_c·T on average) plus that one stale request,
 * so by renewal-reward p_stale = 1 / (1 + λ_c·T) = clients / (clients + rate·T).
 * (One aging per lifetime, clients / (rate·T), agrees to first order in 1/(λ_c·T) but
 * overstates it, and reaches 1 where half the requests are still valid at λ_c·T = 1.)
 *
 * @example
 * staleProbability({ rate: 1000, clients: 1000, tokenLifetimeSeconds: 3600 }); // 1/3601
 */
export function staleProbability({ rate, clients, tokenLifetimeSeconds }: StaleInputs): number {
  assertAtLeastZero('rate', rate);
  assertAboveZero('clients', clients);
  assertAboveZero('tokenLifetimeSeconds', tokenLifetimeSeconds);
  return clients / (clients + rate * tokenLifetimeSeconds);
}

/**
 * p_miss: fraction of requests with a valid token that miss the wrapper's L1 cache and go
 * to the validator.
 *
 * Derivation. A client's requests spread uniformly over the K replicas, so one
 * (client, replica) pair sees a Poisson stream of rate r = rate / (clients·K). An L1 entry
 * stays fresh for d = l1Ttl after the miss that filled it (capped at the token's expiry).
 * Ignoring token renewal, a cycle is one miss, L = min(d, T) of hits (r·L requests), then
 * the wait for the next request, which misses: renewal-reward gives p_miss = 1 / (1 + r·L).
 * Refinement for token renewal: every new token starts cold at every replica and is used
 * for exactly T. In one token's window at one pair, misses follow a non-paralyzable
 * dead-time counter: the n-th miss comes at S_n = (n−1)·d + Gamma(n, r), so
 * E[misses] = Σ_{n ≥ 1, (n−1)·d ≤ T} P(Poisson(r·(T − (n−1)·d)) ≥ n), over r·T valid
 * requests: p_miss = E[misses] / (r·T). For d ≥ T it is (1 − e^{−rT}) / (rT); for T ≫ d it
 * tends to 1/(1+a) + a²/(2(1+a)²·rT) with a = r·d (the renewal function's asymptote),
 * which is 1/(1 + r·L) plus the cold start of each token.
 *
 * @example
 * // r = 1/s, d = 5 s, T = 3600 s: ≈ 1/6
 * l1MissProbability({ rate: 1000, clients: 1000, wrappers: 1, l1TtlSeconds: 5, tokenLifetimeSeconds: 3600 });
 */
export function l1MissProbability(inputs: MissInputs): number {
  const { rate, clients, wrappers, l1TtlSeconds, tokenLifetimeSeconds } = inputs;
  assertAtLeastZero('rate', rate);
  assertAboveZero('clients', clients);
  assertServerCount('wrappers', wrappers);
  assertAtLeastZero('l1TtlSeconds', l1TtlSeconds);
  assertAboveZero('tokenLifetimeSeconds', tokenLifetimeSeconds);
  const pairRate = rate / (clients * wrappers);
  const requestsPerWindow = pairRate * tokenLifetimeSeconds;
  // Without caching, or without requests to share an entry, every check misses.
  if (l1TtlSeconds === 0 || requestsPerWindow === 0) return 1;
  const misses = expectedMissesPerToken(pairRate, l1TtlSeconds, tokenLifetimeSeconds);
  const pMiss = Math.min(1, misses / requestsPerWindow);
  assertProbability('p_miss', pMiss);
  return pMiss;
}

function expectedMissesPerToken(pairRate: number, ttl: number, lifetime: number): number {
  const terms = Math.floor(lifetime / ttl) + 1;
  if (terms > EXACT_TERMS_LIMIT) {
    const a = pairRate * ttl;
    return (pairRate * lifetime) / (1 + a) + a ** 2 / (2 * (1 + a) ** 2);
  }
  let sum = 0;
  for (let n = 1; n <= terms; n++) {
    const term = poissonTailAtLeast(n, pairRate * max(0, lifetime - (n - 1) * ttl));
    sum += term;
    // Terms fall with n (more misses needed in less time): the rest is negligible.
    if (term < 1e-17) break;
  }
  return sum;
}

import { type StaleRequests } from './mlrun-parameters';
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
  /** λ: fresh requests per second (retries not included). */
  readonly rate: number;
  readonly clients: number;
  readonly tokenLifetimeSeconds: number;
  /** What the client does after the 401 and the login; default 'leave'. */
  readonly staleRequests?: StaleRequests;
};

/** The workload figures that decide how often the wrappers' L1 cache misses. */
export type MissInputs = StaleInputs & {
  /** K, the replicas a client's requests are spread over. */
  readonly wrappers: number;
  readonly l1TtlSeconds: number;
};

/**
 * p_stale: fraction of token-check visits that carry an aged token (answered 401, then the
 * client logs in at the issuer). Each client sends a Poisson stream of λ_c = rate/clients
 * fresh requests; its token serves every request for T seconds, and its first request
 * after that is stale. By renewal-reward over one token's cycle:
 * - 'leave': λ_c·T valid requests plus that one stale request, which leaves:
 *   p_stale = 1 / (1 + λ_c·T) = clients / (clients + rate·T);
 * - 'retry': the same plus the retry with the new token (valid, at the cycle's start):
 *   λ_c·T + 2 visits, one stale, so p_stale = 1 / (2 + λ_c·T) = clients / (2·clients +
 *   rate·T); the token check then sees rate / (1 − p_stale) and predict sees rate.
 * (One aging per lifetime, clients / (rate·T), agrees to first order in 1/(λ_c·T) but
 * overstates it, and reaches 1 where half the requests are still valid at λ_c·T = 1.)
 * Logins per second are rate·clients / (clients + rate·T) either way.
 *
 * @example
 * staleProbability({ rate: 1000, clients: 1000, tokenLifetimeSeconds: 3600 }); // 1/3601
 */
export function staleProbability(inputs: StaleInputs): number {
  const { rate, clients, tokenLifetimeSeconds } = inputs;
  assertAtLeastZero('rate', rate);
  assertAboveZero('clients', clients);
  assertAboveZero('tokenLifetimeSeconds', tokenLifetimeSeconds);
  const retries = inputs.staleRequests === 'retry' ? 1 : 0;
  return clients / ((1 + retries) * clients + rate * tokenLifetimeSeconds);
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
 * With staleRequests 'retry' each token also serves the retry at its start, at one replica,
 * where it always misses (the token is new everywhere); that pair's window then continues
 * from the end of the entry, d later: per token, K·M(T) + 1 + M(T − d) − M(T) misses over
 * K·r·T + 1 valid checks, with M(t) the sum above for a window of t (0 for t ≤ 0). The
 * change is of order 1/(λ_c·T): ≈ 1/(1 + a) more misses per token.
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
  const perPair = expectedMissesPerToken(pairRate, l1TtlSeconds, tokenLifetimeSeconds);
  let misses = wrappers * perPair;
  let checks = wrappers * requestsPerWindow;
  if (inputs.staleRequests === 'retry') {
    const afterEntry = tokenLifetimeSeconds - l1TtlSeconds;
    const rest = afterEntry > 0 ? expectedMissesPerToken(pairRate, l1TtlSeconds, afterEntry) : 0;
    misses += 1 + rest - perPair;
    checks += 1;
  }
  const pMiss = Math.min(1, misses / checks);
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

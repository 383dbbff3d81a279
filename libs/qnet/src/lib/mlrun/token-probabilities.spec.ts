import { QnetError } from '../network';
import { simulateL1Cache } from './l1-cache-monte-carlo';
import { l1MissProbability, staleProbability } from './token-probabilities';

describe(staleProbability.name, () => {
  it('is clients / (clients + rate·T): one stale request per token cycle', () => {
    expect(staleProbability({ rate: 1000, clients: 1000, tokenLifetimeSeconds: 3600 })).toBe(
      1 / 3601,
    );
    // λ_c·T = 1: one valid request per lifetime on average, then the stale one.
    expect(staleProbability({ rate: 10, clients: 100, tokenLifetimeSeconds: 10 })).toBe(0.5);
  });

  it('is clients / (2·clients + rate·T) per token check when stale requests retry', () => {
    // Per token cycle λ_c·T valid fresh requests, the stale one and its retry.
    expect(
      staleProbability({
        rate: 10,
        clients: 100,
        tokenLifetimeSeconds: 10,
        staleRequests: 'retry',
      }),
    ).toBe(1 / 3);
    const leave = { rate: 1000, clients: 1000, tokenLifetimeSeconds: 3600 };
    expect(staleProbability({ ...leave, staleRequests: 'leave' })).toBe(staleProbability(leave));
  });

  it('rejects a negative rate and a non-positive client count or lifetime', () => {
    const valid = { rate: 1, clients: 1, tokenLifetimeSeconds: 1 };
    for (const bad of [{ rate: -1 }, { clients: 0 }, { tokenLifetimeSeconds: Number.NaN }]) {
      expect(() => staleProbability({ ...valid, ...bad })).toThrow(
        expect.objectContaining({ code: 'NEGATIVE_RATE' }),
      );
    }
  });
});

describe(l1MissProbability.name, () => {
  const inputs = {
    rate: 1000,
    clients: 1000,
    wrappers: 1,
    l1TtlSeconds: 5,
    tokenLifetimeSeconds: 3600,
  };

  it('approaches 1 / (1 + r·ttl) plus the cold start of each token when T ≫ ttl', () => {
    // r = 1/s per (client, replica) pair, a = r·ttl = 5, r·T = 3600: the renewal-function
    // asymptote 1/(1 + a) + a²/(2(1 + a)²·rT).
    const sut = l1MissProbability(inputs);

    expect(sut).toBeCloseTo(1 / 6 + 25 / (2 * 36 * 3600), 9);
    expect(sut - 1 / 6).toBeLessThan(1e-4);
  });

  it('is (1 − e^{−rT}) / (rT) when the TTL outlives the token', () => {
    // r = 0.05/s, T = 20 s: one miss per replica per token, if the replica sees a request.
    const sut = l1MissProbability({
      rate: 20,
      clients: 100,
      wrappers: 4,
      l1TtlSeconds: 30,
      tokenLifetimeSeconds: 20,
    });

    expect(sut).toBeCloseTo(1 - Math.exp(-1), 12);
  });

  it('joins the exact sum and its asymptote smoothly', () => {
    // T/ttl = 1999 uses the exact sum, 2001 the asymptote: p_miss hardly changes.
    const exact = l1MissProbability({ ...inputs, l1TtlSeconds: 3600 / 1999 });
    const asymptotic = l1MissProbability({ ...inputs, l1TtlSeconds: 3600 / 2001 });

    expect(Math.abs(exact - asymptotic) / exact).toBeLessThan(1e-3);
  });

  it('adds the retry, a certain miss, per token when stale requests retry', () => {
    // TTL outlives the token: K·(1 − e^{−rT}) misses over K·r·T checks without the retry;
    // the retry's replica then misses once for the whole token: K − 1 replicas as before.
    const w = { rate: 20, clients: 100, wrappers: 4, l1TtlSeconds: 30, tokenLifetimeSeconds: 20 };
    const coldMisses = 1 - Math.exp(-1); // r·T = 1 at each replica
    const expected = (3 * coldMisses + 1) / (4 * 1 + 1);

    expect(l1MissProbability({ ...w, staleRequests: 'retry' })).toBeCloseTo(expected, 12);
  });

  it('changes p_miss by the order of 1/(λ_c·T) with retries', () => {
    const retry = l1MissProbability({ ...inputs, staleRequests: 'retry' });
    const leave = l1MissProbability(inputs);

    expect(Math.abs(retry - leave)).toBeLessThan(1 / 3600);
  });

  it('misses every time without caching or without traffic', () => {
    expect(l1MissProbability({ ...inputs, l1TtlSeconds: 0 })).toBe(1);
    expect(l1MissProbability({ ...inputs, rate: 0 })).toBe(1);
  });

  it('grows with the number of wrappers (requests spread over more caches)', () => {
    const sut = [1, 2, 4, 8].map((wrappers) => l1MissProbability({ ...inputs, wrappers }));

    expect(sut).toEqual([...sut].sort((a, b) => a - b));
    expect(new Set(sut).size).toBe(4);
  });

  it('rejects a wrapper count that is not a positive integer', () => {
    expect(() => l1MissProbability({ ...inputs, wrappers: 0 })).toThrow(QnetError);
    expect(() => l1MissProbability({ ...inputs, wrappers: 1.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_NETWORK' }),
    );
  });
});

// The derivations checked against an independent Monte Carlo of the mechanism (clients
// with Poisson requests, tokens that age, per-replica TTL caches). Tolerance: four binomial
// standard errors of the model's own probability, sqrt(p(1 − p)/n), with n ≈ 600,000
// requests per scenario; the seed is fixed, so the check is deterministic.
describe('token probabilities against a Monte Carlo of the L1 caches', () => {
  const scenarios = [
    // [name, workload]
    [
      'ttl ≪ lifetime, 3 wrappers',
      { rate: 100, clients: 50, wrappers: 3, l1TtlSeconds: 5, tokenLifetimeSeconds: 60 },
    ],
    [
      'ttl > lifetime (one miss per token and replica)',
      { rate: 20, clients: 100, wrappers: 4, l1TtlSeconds: 30, tokenLifetimeSeconds: 20 },
    ],
    [
      'busy pairs, 1 s ttl',
      { rate: 400, clients: 20, wrappers: 2, l1TtlSeconds: 1, tokenLifetimeSeconds: 30 },
    ],
    [
      'ttl comparable to lifetime',
      { rate: 100, clients: 200, wrappers: 5, l1TtlSeconds: 8, tokenLifetimeSeconds: 20 },
    ],
    [
      'few requests per token',
      { rate: 50, clients: 500, wrappers: 2, l1TtlSeconds: 5, tokenLifetimeSeconds: 30 },
    ],
    [
      'lifetime over 2000 TTLs (asymptotic form)',
      { rate: 200, clients: 20, wrappers: 2, l1TtlSeconds: 0.5, tokenLifetimeSeconds: 1200 },
    ],
  ] as const;

  const runs = scenarios.map(([name, workload], i) => {
    const warmupSeconds = 3 * workload.tokenLifetimeSeconds;
    const horizonSeconds = warmupSeconds + 600_000 / workload.rate;
    return {
      name,
      workload,
      counts: simulateL1Cache({ ...workload, horizonSeconds, warmupSeconds, seed: 17 + i }),
    };
  });
  const tolerance = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);

  it.each(runs)('p_stale agrees: $name', ({ workload, counts }) => {
    const model = staleProbability(workload);

    expect(Math.abs(counts.stale / counts.requests - model)).toBeLessThan(
      tolerance(model, counts.requests),
    );
  });

  it.each(runs)('p_miss agrees: $name', ({ workload, counts }) => {
    const model = l1MissProbability(workload);

    expect(Math.abs(counts.misses / counts.checked - model)).toBeLessThan(
      tolerance(model, counts.checked),
    );
  });

  it('has the power to reject the first-order formulas where token renewal matters', () => {
    // The same runs reject 1/(1 + r·min(ttl, T)) and min(1, clients/(rate·T)).
    const rejected = runs.filter(({ workload: w, counts }) => {
      const r = w.rate / (w.clients * w.wrappers);
      const naiveMiss = 1 / (1 + r * Math.min(w.l1TtlSeconds, w.tokenLifetimeSeconds));
      const naiveStale = Math.min(1, w.clients / (w.rate * w.tokenLifetimeSeconds));
      const missOff =
        Math.abs(counts.misses / counts.checked - naiveMiss) > tolerance(naiveMiss, counts.checked);
      const staleOff =
        Math.abs(counts.stale / counts.requests - naiveStale) >
        tolerance(naiveStale, counts.requests);
      return missOff && staleOff;
    });

    expect(rejected.map((run) => run.name)).toEqual([
      'ttl > lifetime (one miss per token and replica)',
      'ttl comparable to lifetime',
      'few requests per token',
    ]);
  });
});

// The retry semantics against the same Monte Carlo with retries: each 401 is followed at
// once by the request again, with the new token, at a uniform replica. Same tolerance. The
// 'leave' formulas must fail on the same runs where λ_c·T is small.
describe('token probabilities with retries against the Monte Carlo', () => {
  const scenarios = [
    [
      'ttl ≪ lifetime, 3 wrappers',
      { rate: 100, clients: 50, wrappers: 3, l1TtlSeconds: 5, tokenLifetimeSeconds: 60 },
    ],
    [
      'ttl > lifetime',
      { rate: 20, clients: 100, wrappers: 4, l1TtlSeconds: 30, tokenLifetimeSeconds: 20 },
    ],
    [
      'ttl comparable to lifetime',
      { rate: 100, clients: 200, wrappers: 5, l1TtlSeconds: 8, tokenLifetimeSeconds: 20 },
    ],
    [
      'few requests per token, one wrapper',
      { rate: 50, clients: 500, wrappers: 1, l1TtlSeconds: 2, tokenLifetimeSeconds: 10 },
    ],
  ] as const;

  const runs = scenarios.map(([name, workload], i) => {
    const warmupSeconds = 3 * workload.tokenLifetimeSeconds;
    const horizonSeconds = warmupSeconds + 600_000 / workload.rate;
    const scenario = { ...workload, staleRequests: 'retry' as const };
    return {
      name,
      workload: scenario,
      counts: simulateL1Cache({ ...scenario, horizonSeconds, warmupSeconds, seed: 31 + i }),
    };
  });
  const off = (observed: number, p: number, n: number) =>
    Math.abs(observed - p) > 4 * Math.sqrt((p * (1 - p)) / n);

  it.each(runs)('p_stale per token check agrees: $name', ({ workload, counts }) => {
    expect(off(counts.stale / counts.requests, staleProbability(workload), counts.requests)).toBe(
      false,
    );
    // Every stale request came back once.
    expect(Math.abs(counts.retries - counts.stale)).toBeLessThanOrEqual(1);
  });

  it.each(runs)('p_miss agrees: $name', ({ workload, counts }) => {
    const model = l1MissProbability(workload);

    expect(off(counts.misses / counts.checked, model, counts.checked)).toBe(false);
  });

  it("rejects the 'leave' formulas where λ_c·T is small", () => {
    const rejected = runs.filter(({ workload, counts }) => {
      const leave = { ...workload, staleRequests: 'leave' as const };
      const stale = off(counts.stale / counts.requests, staleProbability(leave), counts.requests);
      const miss = off(counts.misses / counts.checked, l1MissProbability(leave), counts.checked);
      return stale && miss;
    });

    expect(rejected.map((run) => run.name)).toEqual([
      'ttl > lifetime',
      'ttl comparable to lifetime',
      'few requests per token, one wrapper',
    ]);
  });
});

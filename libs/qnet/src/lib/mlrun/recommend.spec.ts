import { analyzeMlrun } from './mlrun-network';
import { DEFAULT_MLRUN_PARAMETERS, type MlrunServers } from './mlrun-parameters';
import { MAX_SERVERS, recommend } from './recommend';

const params = DEFAULT_MLRUN_PARAMETERS;

// Checked independently of recommend: solve the network with these servers.
function meetsTarget(
  rate: number,
  servers: MlrunServers,
  maxUtilization: number,
  maxLatency: number,
) {
  const solution = analyzeMlrun({ ...params, rate, servers });
  const utilization = (name: string) =>
    solution.stations.find((s) => s.name === name)?.utilization ?? NaN;
  // A wrapper replica does the token check and predict: both loads on one process.
  const replica = utilization('token-check') + utilization('predict');
  return (
    solution.stations.every((s) => s.utilization <= maxUtilization + 1e-9) &&
    replica <= maxUtilization + 1e-9 &&
    solution.meanResponseTime <= maxLatency
  );
}

describe(recommend.name, () => {
  it('sizes each station at ⌈λ_i / (u·μ_i)⌉ without a latency bound', () => {
    const sut = recommend(params, { rate: 10_000 });

    // K: (10000/50000 token check + 10000·(1 − p_stale)/2000 predict) / 0.7 = 7.43 → 8.
    expect(sut.met).toBe(true);
    expect(sut.servers).toEqual({ routers: 1, wrappers: 8, validators: 1, issuers: 1 });
    expect(sut.solution.externalRate).toBe(10_000);
    expect(meetsTarget(10_000, { ...sut.servers, wrappers: 7 }, 0.7, Infinity)).toBe(false);
  });

  it('sizes K for the token check and predict together: one replica does both', () => {
    const slowCheck = { ...params, serviceRates: { ...params.serviceRates, tokenCheck: 2000 } };
    const sut = recommend(slowCheck, { rate: 2000 });

    // Apart, each needs ⌈2000 / 1400⌉ = 2 (ρ 0.5 each); together a replica would be 100 % busy.
    expect(sut.servers.wrappers).toBe(3);
    const solution = analyzeMlrun({ ...slowCheck, rate: 2000, servers: sut.servers });
    expect(solution.wrapperUtilization).toBeCloseTo(2 / 3, 3);
  });

  it('uses the parameters’ rate and a 0.7 utilization cap by default', () => {
    const sut = recommend({ ...params, rate: 2000 });

    expect(sut.solution.externalRate).toBe(2000);
    expect(sut.servers.wrappers).toBe(2); // 2000·(1 − p_stale) / 1400 = 1.43 → 2
  });

  it.each([
    [10_000, 0.00065],
    [10_000, 0.00061],
    [50_000, 0.00063],
    [3_000, 0.0007],
  ])(
    'meets rate %d with latency ≤ %d s, and one server fewer of any kind breaks it',
    (rate, bound) => {
      const sut = recommend(params, { rate, maxLatencySeconds: bound });

      expect(sut.met).toBe(true);
      expect(sut.reason).toBeUndefined();
      expect(sut.solution.meanResponseTime).toBeLessThanOrEqual(bound);
      expect(meetsTarget(rate, sut.servers, 0.7, bound)).toBe(true);
      for (const kind of ['routers', 'wrappers', 'validators'] as const) {
        if (sut.servers[kind] === 1) continue;
        const fewer = { ...sut.servers, [kind]: sut.servers[kind] - 1 };
        expect({ kind, meets: meetsTarget(rate, fewer, 0.7, bound) }).toEqual({
          kind,
          meets: false,
        });
      }
    },
  );

  it('adds servers beyond the utilization minimum when the latency bound asks for them', () => {
    const sized = recommend(params, { rate: 10_000 }).servers;

    const sut = recommend(params, { rate: 10_000, maxLatencySeconds: 0.00061 }).servers;

    expect(sut.routers + sut.wrappers + sut.validators).toBeGreaterThan(
      sized.routers + sized.wrappers + sized.validators,
    );
  });

  it('reports a latency bound below the service time as not met', () => {
    const sut = recommend(params, { rate: 10_000, maxLatencySeconds: 0.0001 });

    expect(sut.met).toBe(false);
    expect(sut.reason).toMatch(/latency bound 0\.0001 s is below/);
    expect(sut.servers).toEqual(recommend(params, { rate: 10_000 }).servers);
  });

  it('keeps the issuers as given and says when they alone break the target', () => {
    // 100,000 clients renewing 60 s tokens: ≈ 1429 logins/s against 10/s per issuer, so
    // ⌈1429 / (10 · 0.7)⌉ = 205 issuers at the default target utilization.
    const busyLogins = { ...params, clients: 100_000, tokenLifetimeSeconds: 60 };

    const sut = recommend(busyLogins, { rate: 10_000 });

    expect(sut.met).toBe(false);
    expect(sut.servers.issuers).toBe(1);
    expect(sut.reason).toMatch(/issuer alone breaks the target.*at least 205 /);
  });

  it(`gives up past ${MAX_SERVERS} servers at a station`, () => {
    const sut = recommend(params, { rate: 1e8 });

    expect(sut.met).toBe(false);
    expect(sut.reason).toMatch(/wrappers would need \d+ servers, more than the cap of 10000/);
    expect(sut.servers.wrappers).toBe(MAX_SERVERS);
    // Shown at the cap: predict overloaded (1e8 requests/s against 10,000 × 2000/s).
    expect(sut.solution.stations.find((s) => s.name === 'predict')?.utilization).toBeGreaterThan(1);
  });

  it('answers in milliseconds for 10,000 requests/s', () => {
    recommend(params, { rate: 10_000, maxLatencySeconds: 0.00061 }); // warm up the JIT
    const started = performance.now();

    recommend(params, { rate: 10_000, maxLatencySeconds: 0.00061 });

    // A guard against a runaway search, not a performance target (≈ 3 ms here): the
    // machine is shared and noisy.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('rejects an unusable target', () => {
    expect(() => recommend(params, { maxUtilization: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_PROBABILITY' }),
    );
    expect(() => recommend(params, { rate: 0 })).toThrow(
      expect.objectContaining({ code: 'NEGATIVE_RATE' }),
    );
    expect(() => recommend(params, { maxLatencySeconds: -1 })).toThrow(
      expect.objectContaining({ code: 'NEGATIVE_RATE' }),
    );
  });
});

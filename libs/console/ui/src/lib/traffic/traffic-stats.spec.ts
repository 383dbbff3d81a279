import { countersOf } from './traffic-counters';
import { replica } from './traffic-fixtures';
import { trafficStats } from './traffic-stats';

const counters = (served: Parameters<typeof replica>[2]) =>
  countersOf(replica('1', 'iris-0', served));

describe(trafficStats.name, () => {
  it('derives rates and ratios from the counters of a window', () => {
    const latencies = [
      ...Array.from({ length: 90 }, () => 0.003),
      ...Array.from({ length: 10 }, () => 0.3),
    ];
    const sut = trafficStats(
      counters({
        statuses: { 200: 80, 401: 10, 500: 5, 503: 5 },
        latencies,
        l1: { hits: 75, misses: 25 },
        validator: { active: 20, inactive: 5 },
      }),
      10,
    );
    expect(sut.requests).toBe(100);
    expect(sut.rate).toBe(10);
    expect(sut.errorRatio).toBeCloseTo(0.1, 12);
    expect(sut.clientErrorRatio).toBeCloseTo(0.1, 12);
    expect(sut.l1HitRatio).toBeCloseTo(0.75, 12);
    expect(sut.validatorRate).toBe(2.5);
    // 90 % under 2.5–5 ms: the median inside that bucket, the p99 in the 0.25–0.5 s one.
    expect(sut.p50).toBeGreaterThan(0.0025);
    expect(sut.p50).toBeLessThanOrEqual(0.005);
    expect(sut.p99).toBeGreaterThan(0.25);
    expect(sut.p99).toBeLessThanOrEqual(0.5);
  });

  it('answers null, never NaN, for an empty window', () => {
    const sut = trafficStats(counters({}), 0);
    expect(sut).toEqual({
      requests: 0,
      rate: null,
      p50: null,
      p99: null,
      errorRatio: null,
      clientErrorRatio: null,
      l1HitRatio: null,
      validatorRate: null,
    });
  });

  it('answers a zero rate, and no ratios, for a quiet window that lasted', () => {
    const sut = trafficStats(counters({}), 10);
    expect(sut.rate).toBe(0);
    expect(sut.validatorRate).toBe(0);
    expect(sut.errorRatio).toBeNull();
    expect(sut.p99).toBeNull();
  });
});

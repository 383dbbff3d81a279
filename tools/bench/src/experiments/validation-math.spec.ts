import { type MetricSeries } from '../loadgen';
import {
  acceptance,
  analyticPrediction,
  rateEstimate,
  relativeError,
  stationCounters,
  windowSamples,
  workloadParameters,
  type Workload,
} from './validation-math';

const workload: Workload = {
  rate: 30,
  clients: 20,
  wrappers: 2,
  l1TtlSeconds: 1,
  tokenLifetimeSeconds: 10,
  serviceRates: { router: 2000, tokenCheck: 20000, validator: 4000, issuer: 300, predict: 50 },
};

describe('workloadParameters', () => {
  it('leaves p_stale and p_miss to the model: they are predicted, never fitted', () => {
    const parameters = workloadParameters(workload);
    expect(parameters.pStale).toBeUndefined();
    expect(parameters.pMiss).toBeUndefined();
    expect(parameters.servers.wrappers).toBe(2);
    expect(parameters.staleRequests).toBe('leave');
  });
});

describe('analyticPrediction', () => {
  it('times served requests only: refused aged ones would pull the mean down', () => {
    const model = analyticPrediction(workload, 0);
    expect(model.pStale).toBeGreaterThan(0);
    expect(model.meanLatency).toBeGreaterThan(model.allRequestsMeanLatency);
  });

  it('routes λ(1 − p_stale) to predict and adds the path overhead to the mean once', () => {
    const without = analyticPrediction(workload, 0);
    const withOverhead = analyticPrediction(workload, 0.002);
    expect(without.rates.router).toBeCloseTo(30, 9);
    expect(without.rates.predict).toBeCloseTo(30 * (1 - without.pStale), 9);
    expect(without.rates.issuer).toBeCloseTo(30 * without.pStale, 9);
    expect(withOverhead.meanLatency - without.meanLatency).toBeCloseTo(0.002, 12);
  });
});

describe('windowSamples and rateEstimate', () => {
  // Two wrappers scraped at the same ticks; wrapper-1 counts 10/s, wrapper-2 20/s; the
  // last scrape (at stop) comes half a second after the one before.
  const ticks = [0, 1, 2, 3, 3.5];
  const scrapes = (perSecond: number) =>
    ticks.map((t) => ({
      t,
      values: { 'mlrun_auth_l1_lookups_total{result="hit"}': perSecond * t },
    }));
  const series: MetricSeries = {
    startedAt: 0,
    scrapes: { 'wrapper-1': scrapes(10), 'wrapper-2': scrapes(20) },
    failures: {},
  };
  const counters = stationCounters(2)['token-check'];

  it('sums the wrappers per interval, inside the window only', () => {
    expect(windowSamples(series, counters, 1, 3)).toEqual([
      { seconds: 1, increase: 30 },
      { seconds: 1, increase: 30 },
    ]);
  });

  it('weighs intervals by their length', () => {
    const samples = [
      { seconds: 1, increase: 30 },
      { seconds: 0.5, increase: 30 },
    ];
    expect(rateEstimate(samples).mean).toBeCloseTo(40, 12);
    expect(rateEstimate(windowSamples(series, counters, 0, 3.5))).toMatchObject({ mean: 30, n: 4 });
  });
});

describe('relativeError', () => {
  it('is |measured − model| / model, and null when the model expects nothing', () => {
    expect(relativeError(105, 100)).toBeCloseTo(0.05, 12);
    expect(relativeError(3, 0)).toBeNull();
  });
});

describe('acceptance', () => {
  const modelRates = { router: 30, 'token-check': 30, validator: 10, issuer: 0.5, predict: 29 };
  const measuredRates = {
    router: { mean: 30.3, halfWidth: 1, n: 60 },
    'token-check': { mean: 30.6, halfWidth: 1, n: 60 },
    validator: { mean: 10.4, halfWidth: 0.5, n: 60 },
    issuer: { mean: 0.95, halfWidth: 0.5, n: 60 },
    predict: { mean: 29.3, halfWidth: 1, n: 60 },
  };
  const small = { router: 0.01, 'token-check': 0.02, validator: 0.04, issuer: 0.9, predict: 0.01 };
  const judged = (utilization: number, rateErrors = small, meanLatencyError = 0.12) =>
    acceptance({ utilization, rateErrors, modelRates, measuredRates, meanLatencyError });

  it('holds with rates within 5% and the mean within 15% at ρ ≤ 0.7', () => {
    expect(judged(0.7)).toEqual({
      rates: true,
      meanLatency: true,
      holds: true,
      notJudged: ['issuer'],
      reasons: [],
    });
  });

  it('fails on one judged rate beyond 5%, saying whether noise can explain it', () => {
    const inside = judged(0.5, { ...small, validator: 0.06 });
    expect(inside.holds).toBe(false);
    expect(inside.reasons).toEqual([
      expect.stringMatching(/^validator rate .*inside the measured 95% interval/),
    ]);
    const outside = acceptance({
      utilization: 0.5,
      rateErrors: { ...small, router: 0.2 },
      modelRates,
      measuredRates: { ...measuredRates, router: { mean: 36, halfWidth: 1, n: 60 } },
      meanLatencyError: 0.1,
    });
    expect(outside.reasons).toEqual([expect.stringMatching(/^router rate .*outside/)]);
  });

  it('fails on the mean beyond 15% at ρ ≤ 0.7, and does not judge the mean above', () => {
    expect(judged(0.5, small, 0.2)).toMatchObject({
      meanLatency: false,
      reasons: [expect.stringMatching(/mean latency 20.0%/)],
    });
    expect(judged(0.9, small, 0.4)).toMatchObject({ meanLatency: null, holds: true });
  });
});

import { analyticPrediction } from './validation-math';
import { buildRow, type MeasuredPoint } from './validation-row';

const calibration = {
  experimentServiceRates: {
    router: 2000,
    tokenCheck: 20000,
    validator: 4000,
    issuer: 300,
    predict: 50,
  },
  pathOverheadSeconds: 0.001,
};
const interval = (mean: number) => ({ mean, halfWidth: mean / 20, n: 30 });

// A point measured exactly as the analytic model predicts, but for the mean latency.
function pointAt(meanLatency: number): MeasuredPoint {
  const workload = {
    rate: 25,
    clients: 20,
    wrappers: 1,
    l1TtlSeconds: 1,
    tokenLifetimeSeconds: 10,
    serviceRates: calibration.experimentServiceRates,
  };
  const model = analyticPrediction(workload, calibration.pathOverheadSeconds);
  return {
    ...workload,
    offeredRate: workload.rate,
    utilization: 0.5,
    meanLatency: interval(meanLatency),
    p99LatencySeconds: 0.2,
    rates: {
      router: interval(model.rates.router),
      'token-check': interval(model.rates['token-check']),
      validator: interval(model.rates.validator * 1.02),
      issuer: interval(model.rates.issuer),
      predict: interval(model.rates.predict),
    },
    batches: {
      batchSeconds: 2,
      pilot: 10,
      required: 30,
      used: 30,
      capped: false,
      relativePrecision: 0.05,
    },
    counts: [],
    pinned: false,
  };
}

const plan = { simulationRuns: 2, simulationSeconds: 30 };

describe('buildRow', () => {
  it('compares the measurement with the model at the calibrated rates', () => {
    const mm1 = analyticPrediction(
      {
        rate: 25,
        clients: 20,
        wrappers: 1,
        l1TtlSeconds: 1,
        tokenLifetimeSeconds: 10,
        serviceRates: calibration.experimentServiceRates,
      },
      calibration.pathOverheadSeconds,
    ).meanLatency;
    const row = buildRow(pointAt(mm1 * 1.1), calibration, plan, 7);
    expect(row.errors.meanLatency).toBeCloseTo(0.1, 9);
    expect(row.errors.rates.validator).toBeCloseTo(0.02, 9);
    expect(row.acceptance.holds).toBe(true);
    // ρ measured: predict arrivals × 20 ms on one wrapper.
    expect(row.measured.utilization).toBeCloseTo(row.analytic.rates.predict * 0.02, 9);
    expect(row.simulated.runs).toBe(2);
  });

  it('names the predict variant whose mean is closer', () => {
    const closeToDeterministic = buildRow(pointAt(0.03), calibration, plan, 7);
    const [exponential, deterministic] = closeToDeterministic.variants.map((v) => ({
      mean: v.meanLatency,
      error: v.error ?? 1,
      name: v.name,
    }));
    if (!exponential || !deterministic) throw new Error('two variants expected');
    expect(deterministic.mean).toBeLessThan(exponential.mean);
    const closer = deterministic.error < exponential.error ? deterministic : exponential;
    expect(closeToDeterministic.bestVariant).toBe(closer.name);
  });

  it('does not accept a mean 30% off at ρ 0.5', () => {
    const row = buildRow(pointAt(1), calibration, plan, 7);
    expect(row.acceptance.meanLatency).toBe(false);
    expect(row.acceptance.holds).toBe(false);
  });
});

import type { MeanInterval } from '@ml-run/qnet';

import type { ValidationRow } from './validation-row';
import { fromMeanInterval, summarizeValidation } from './validation-summary';

const mi = (mean: number, halfWidth: number, n = 8): MeanInterval => ({ mean, halfWidth, n });
const stations = <T>(value: (i: number) => T) => ({
  router: value(0),
  'token-check': value(1),
  validator: value(2),
  issuer: value(3),
  predict: value(4),
});

// The fields the summary reads; the rest of a row is the validation's own.
const row = {
  wrappers: 2,
  targetUtilization: 0.5,
  rate: 48.7,
  clients: 20,
  l1TtlSeconds: 1,
  tokenLifetimeSeconds: 10,
  pStale: 0.04,
  pMiss: 0.3,
  measured: {
    meanLatency: mi(0.025, 0.002),
    p99Latency: 0.12,
    rates: stations((i) => mi(10 * (i + 1), 0.5)),
    utilization: 0.49,
    batches: {
      batchSeconds: 2,
      pilot: 10,
      required: 25,
      used: 25,
      capped: false,
      relativePrecision: 0.05,
    },
  },
  analytic: { meanLatency: 0.022, rates: stations((i) => 10 * (i + 1) + 1), p99Latency: null },
  simulated: { runs: 10, meanLatency: mi(0.0225, 0.001), p99Latency: mi(0.11, 0.01) },
  variants: [
    { name: 'M/M/c predict (exponential)', predictServiceScv: 1, meanLatency: 0.022, error: 0.13 },
  ],
  bestVariant: 'M/M/c predict (exponential)',
} as unknown as ValidationRow;

describe('summarizeValidation', () => {
  const { comparisons, runs } = summarizeValidation([row]);

  it('compares every station rate with the analytic model', () => {
    const rates = comparisons.filter((c) => c.kind === 'rate');
    expect(rates.map((c) => c.station)).toEqual([
      'router',
      'token-check',
      'validator',
      'issuer',
      'predict',
    ]);
    expect(rates[2]).toMatchObject({ utilization: 0.5, wrappers: 2, model: 31, unit: 'req/s' });
    expect(rates[2]?.measured).toMatchObject({ mean: 30, halfWidth: 0.5, batches: 8 });
  });

  it('gives latencies in ms, the mean against the analytic model, the p99 against the simulator', () => {
    const mean = comparisons.find((c) => c.kind === 'mean latency');
    expect(mean?.model).toBeCloseTo(22, 10);
    expect(mean?.simulated).toBeCloseTo(22.5, 10);
    expect(mean?.measured.mean).toBeCloseTo(25, 10);
    expect(mean?.measured.halfWidth).toBeCloseTo(2, 10);
    const p99 = comparisons.find((c) => c.kind === 'p99 latency');
    expect(p99?.model).toBeCloseTo(110, 10);
    expect(p99?.measured.mean).toBeCloseTo(120, 10);
    expect(p99?.measured.halfWidth).toBeNaN();
  });

  it('keeps each run’s workload, batches and the predict model that fits best', () => {
    expect(runs[0]).toMatchObject({
      wrappers: 2,
      measuredUtilization: 0.49,
      pilotBatches: 10,
      requiredBatches: 25,
      bestVariant: 'M/M/c predict (exponential)',
    });
    expect(runs[0]?.variants[0]?.meanLatencyMs).toBeCloseTo(22, 10);
  });
});

describe('fromMeanInterval', () => {
  it('spells out the bounds, scaled', () => {
    expect(fromMeanInterval(mi(0.5, 0.1, 4), 1000)).toEqual({
      mean: 500,
      halfWidth: 100,
      low: 400,
      high: 600,
      batches: 4,
    });
  });
});

import type { TrafficHistogram } from '@ml-run/registry-contract';

import { addHistograms, histogramIncrease, histogramQuantile } from './histogram';
import { histogramOf, WRAPPER_BOUNDS } from './traffic-fixtures';

describe(histogramQuantile.name, () => {
  it('is undefined for an empty histogram', () => {
    expect(histogramQuantile(0.5, histogramOf([], WRAPPER_BOUNDS))).toBeUndefined();
    expect(histogramQuantile(0.99, { buckets: [], sum: 0, count: 0 })).toBeUndefined();
  });

  it('recovers the quantiles of a uniform distribution exactly (linear within buckets)', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    const bounds = Array.from({ length: 10 }, (_, i) => (i + 1) / 10);
    const histogram = histogramOf(values, bounds);
    expect(histogramQuantile(0.5, histogram)).toBeCloseTo(0.5, 10);
    expect(histogramQuantile(0.99, histogram)).toBeCloseTo(0.99, 10);
    expect(histogramQuantile(0.25, histogram)).toBeCloseTo(0.25, 10);
  });

  it.each([0.5, 0.9, 0.99])(
    'puts the %p quantile of an exponential distribution inside the bucket that holds it',
    (q) => {
      const mean = 0.02;
      // Quantiles of the exponential at evenly spaced probabilities: an exact sample.
      const values = Array.from(
        { length: 10_000 },
        (_, i) => -mean * Math.log(1 - (i + 0.5) / 10_000),
      );
      const exact = -mean * Math.log(1 - q);
      const bounds = WRAPPER_BOUNDS;
      const upper = bounds.find((le) => le >= exact) as number;
      const lower = [...bounds].reverse().find((le) => le < exact) ?? 0;
      const estimate = histogramQuantile(q, histogramOf(values, bounds)) as number;
      expect(estimate).toBeGreaterThanOrEqual(lower);
      expect(estimate).toBeLessThanOrEqual(upper);
      // Linear interpolation over a convex CDF stays within a third of the bucket here.
      expect(Math.abs(estimate - exact)).toBeLessThan((upper - lower) / 3);
    },
  );

  it('interpolates as Prometheus does (first bucket from 0)', () => {
    // 10 observations ≤ 0.1, 10 more ≤ 0.2: the median is the top of the first bucket,
    // the 75th percentile halfway through the second.
    const histogram: TrafficHistogram = {
      buckets: [
        { le: 0.1, count: 10 },
        { le: 0.2, count: 20 },
      ],
      sum: 3,
      count: 20,
    };
    expect(histogramQuantile(0.5, histogram)).toBeCloseTo(0.1, 12);
    expect(histogramQuantile(0.75, histogram)).toBeCloseTo(0.15, 12);
    expect(histogramQuantile(0.25, histogram)).toBeCloseTo(0.05, 12);
  });

  it('answers the highest finite bound when the quantile lies in the +Inf bucket', () => {
    const histogram = histogramOf([0.001, 50, 60, 70], WRAPPER_BOUNDS);
    expect(histogramQuantile(0.99, histogram)).toBe(30);
  });

  it('skips leading empty buckets for the 0-quantile', () => {
    const histogram = histogramOf([0.3, 0.4], WRAPPER_BOUNDS);
    expect(histogramQuantile(0, histogram)).toBe(0.25);
  });

  it('tolerates non-monotonic counts from a sum of scrapes taken at different moments', () => {
    const histogram: TrafficHistogram = {
      buckets: [
        { le: 0.1, count: 6 },
        { le: 0.2, count: 5 },
        { le: 0.4, count: 12 },
      ],
      sum: 1,
      count: 10,
    };
    const p50 = histogramQuantile(0.5, histogram) as number;
    expect(Number.isFinite(p50)).toBe(true);
    expect(p50).toBeLessThanOrEqual(0.1);
    expect(histogramQuantile(1, histogram)).toBeLessThanOrEqual(0.4);
  });

  it('rejects a quantile outside [0, 1]', () => {
    expect(() => histogramQuantile(1.5, histogramOf([1], WRAPPER_BOUNDS))).toThrow(RangeError);
    expect(() => histogramQuantile(Number.NaN, histogramOf([1], WRAPPER_BOUNDS))).toThrow(
      RangeError,
    );
  });
});

describe(histogramIncrease.name, () => {
  it('is the observations made between two scrapes', () => {
    const earlier = histogramOf([0.001, 0.02], WRAPPER_BOUNDS);
    const later = histogramOf([0.001, 0.02, 0.003, 0.3, 40], WRAPPER_BOUNDS);
    const increase = histogramIncrease(earlier, later) as TrafficHistogram;
    expect(increase).toEqual(histogramOf([0.003, 0.3, 40], WRAPPER_BOUNDS));
  });

  it('is undefined after a restart (a count fell)', () => {
    const earlier = histogramOf([0.001, 0.02, 0.5], WRAPPER_BOUNDS);
    const later = histogramOf([0.001], WRAPPER_BOUNDS);
    expect(histogramIncrease(earlier, later)).toBeUndefined();
  });

  it('is undefined when a bucket fell though the total grew (a restart with more traffic)', () => {
    const earlier = histogramOf([0.001, 0.001], WRAPPER_BOUNDS);
    const later = histogramOf([0.5, 0.5, 0.5], WRAPPER_BOUNDS);
    expect(histogramIncrease(earlier, later)).toBeUndefined();
  });

  it('is undefined when the bucket bounds changed', () => {
    const earlier = histogramOf([0.001], [0.01, 0.1]);
    const later = histogramOf([0.001, 0.002], [0.01, 0.1, 1]);
    expect(histogramIncrease(earlier, later)).toBeUndefined();
  });

  it('takes the later histogram whole when the earlier held nothing', () => {
    const later = histogramOf([0.2], [0.01, 0.1, 1]);
    expect(histogramIncrease({ buckets: [], sum: 0, count: 0 }, later)).toEqual(later);
  });
});

describe(addHistograms.name, () => {
  it('adds histograms with the same bounds bucket by bucket', () => {
    const a = histogramOf([0.001, 0.2], WRAPPER_BOUNDS);
    const b = histogramOf([0.003, 0.004, 12], WRAPPER_BOUNDS);
    expect(addHistograms(a, b)).toEqual(
      histogramOf([0.001, 0.2, 0.003, 0.004, 12], WRAPPER_BOUNDS),
    );
  });

  it('merges different bounds without overstating any cumulative count', () => {
    const a = histogramOf([0.05], [0.1, 1]);
    const b = histogramOf([0.3], [0.5, 1]);
    const sum = addHistograms(a, b);
    expect(sum.buckets).toEqual([
      { le: 0.1, count: 1 },
      { le: 0.5, count: 2 },
      { le: 1, count: 2 },
    ]);
    expect(sum.count).toBe(2);
  });

  it('is the other histogram when one is empty', () => {
    const a = histogramOf([0.05], [0.1, 1]);
    expect(addHistograms({ buckets: [], sum: 0, count: 0 }, a)).toBe(a);
    expect(addHistograms(a, { buckets: [], sum: 0, count: 0 })).toBe(a);
  });
});

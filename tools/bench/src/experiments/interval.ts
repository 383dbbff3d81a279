import { meanInterval } from '@ml-run/qnet';

/** A measured mean with its two-sided Student-t confidence interval, from n batch means. */
export type Interval = {
  mean: number;
  /** t_{n−1}·S/√n; Infinity from one batch (no spread to estimate). */
  halfWidth: number;
  low: number;
  high: number;
  /** Batches the interval was built from. */
  batches: number;
};

export const CONFIDENCE = 0.95;

/**
 * The t-based interval of the mean of batch means: batches, not single requests, are the
 * (nearly) independent observations, and with 5–30 of them Student's t applies, not the
 * normal quantile (qnet's meanInterval, with the bounds spelled out for the tables).
 *
 * @example
 * tInterval([98, 102, 101, 99]); // mean 100, halfWidth ≈ 2.91 (t₃ = 3.18)
 */
export function tInterval(values: readonly number[], confidence = CONFIDENCE): Interval {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { mean: NaN, halfWidth: NaN, low: NaN, high: NaN, batches: 0 };
  const { mean, halfWidth, n } = meanInterval(finite, confidence);
  return { mean, halfWidth, low: mean - halfWidth, high: mean + halfWidth, batches: n };
}

/**
 * Groups a per-second series into `batches` consecutive batches of equal length (the
 * remainder at the end is dropped) and returns each batch's mean: one value per batch.
 *
 * @example
 * batchMeans([1, 2, 3, 4, 5, 6, 7], 3); // [1.5, 3.5, 5.5]
 */
export function batchMeans(series: readonly number[], batches: number): number[] {
  const size = Math.floor(series.length / batches);
  if (size < 1) return [...series];
  return Array.from({ length: batches }, (_, b) => {
    const batch = series.slice(b * size, (b + 1) * size);
    return batch.reduce((sum, value) => sum + value, 0) / batch.length;
  });
}

/** Per-interval increases of a sampled counter: [10, 14, 20] → [4, 6]. */
export function deltas(samples: readonly number[]): number[] {
  return samples.slice(1).map((value, i) => value - (samples[i] ?? 0));
}

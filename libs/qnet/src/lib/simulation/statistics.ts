import { studentQuantile } from './student-t';

/** A mean over independent runs with its confidence interval mean ± halfWidth. */
export type Estimate = {
  mean: number;
  /** t·S/√n with t Student's for n − 1 degrees of freedom and S the sample standard deviation. */
  halfWidth: number;
  low: number;
  high: number;
  /** Runs that contributed a value (a run where a station saw no job contributes none). */
  runs: number;
};

export type SampleSummary = { mean: number; stdDev: number; count: number };

/** Mean and sample standard deviation (n − 1) of the finite values; NaN where undefined. */
export function summarize(values: readonly number[]): SampleSummary {
  const finite = values.filter((value) => Number.isFinite(value));
  const count = finite.length;
  if (count === 0) return { mean: NaN, stdDev: NaN, count };
  const mean = finite.reduce((sum, value) => sum + value, 0) / count;
  if (count === 1) return { mean, stdDev: NaN, count };
  const squares = finite.reduce((sum, value) => sum + (value - mean) * (value - mean), 0);
  return { mean, stdDev: Math.sqrt(squares / (count - 1)), count };
}

/** The interval estimate of the values' mean (Student's t); infinitely wide from a single run. */
export function estimate(values: readonly number[], confidence: number): Estimate {
  const { mean, stdDev, count } = summarize(values);
  const halfWidth = count === 0 ? NaN : tHalfWidth(stdDev, count, confidence);
  return { mean, halfWidth, low: mean - halfWidth, high: mean + halfWidth, runs: count };
}

/** t_{n−1}·S/√n for n ≥ 1 samples; Infinity from one (no spread to estimate). */
export function tHalfWidth(stdDev: number, count: number, confidence: number): number {
  if (count === 1) return Infinity;
  return (studentQuantile(confidence, count - 1) * stdDev) / Math.sqrt(count);
}

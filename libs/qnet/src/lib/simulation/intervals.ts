import { requiredRuns } from './replication-rule';
import { invalidSimulationOption } from './simulation-errors';
import { summarize, tHalfWidth } from './statistics';

/** A mean with its Student's t confidence half-width: the interval is mean ± halfWidth. */
export type MeanInterval = {
  readonly mean: number;
  /** t_{n−1}·S/√n; Infinity from a single sample. */
  readonly halfWidth: number;
  /** Finite samples used. */
  readonly n: number;
};

/**
 * The confidence interval of the mean of independent, roughly normal samples (replication
 * means or batch means) with Student's t for n − 1 degrees of freedom. Non-finite samples
 * are skipped.
 *
 * @example
 * meanInterval([10, 12, 11, 13, 9], 0.95); // { mean: 11, halfWidth: 1.96…, n: 5 } (t₄ = 2.776)
 */
export function meanInterval(samples: readonly number[], confidence = 0.95): MeanInterval {
  const { mean, stdDev, count } = summarize(samples);
  if (count === 0) {
    throw invalidSimulationOption('meanInterval needs at least one finite sample');
  }
  return { mean, halfWidth: tHalfWidth(stdDev, count, confidence), n: count };
}

/**
 * The paper's sample-size rule n ≥ t²·S²/δ² from a pilot: S is the pilot samples' standard
 * deviation, δ = relativePrecision·|pilot mean|, and t is Student's with n − 1 degrees of
 * freedom (so the rule is solved for n by search, see {@link requiredRuns}). The answer
 * counts all samples, the pilot's included; it is at least 2.
 *
 * @example
 * requiredSamples([0.98, 1.02, 1.01, 0.99, 1.0], 0.01, 0.95); // 5
 */
export function requiredSamples(
  pilotSamples: readonly number[],
  relativePrecision: number,
  confidence = 0.95,
): number {
  const { mean, stdDev, count } = summarize(pilotSamples);
  if (count < 2) {
    throw invalidSimulationOption(`a pilot needs at least 2 finite samples, got ${count}`);
  }
  if (!(relativePrecision > 0) || !Number.isFinite(relativePrecision)) {
    throw invalidSimulationOption(
      `relativePrecision must be finite and > 0, got ${relativePrecision}`,
    );
  }
  const precision = relativePrecision * Math.abs(mean);
  if (!(precision > 0)) {
    throw invalidSimulationOption('the pilot mean is 0: a relative precision has no meaning');
  }
  return requiredRuns(stdDev, precision, confidence);
}

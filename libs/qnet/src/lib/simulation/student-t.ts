import tQuantile from '@stdlib/stats-base-dists-t-quantile';

import { invalidSimulationOption } from './simulation-errors';

/**
 * The two-sided Student's t quantile for a confidence level and degrees of freedom: t with
 * P(|T_dof| ≤ t) = confidence. With 5 to 30 runs the normal quantile is too small (at
 * 95 %, 2.78 with 4 dof against 1.96), so intervals built on it cover less than they say.
 *
 * @example
 * studentQuantile(0.95, 4); // 2.776…
 */
export function studentQuantile(confidence: number, degreesOfFreedom: number): number {
  assertConfidence(confidence);
  if (!(degreesOfFreedom > 0)) {
    throw invalidSimulationOption(`degrees of freedom must be > 0, got ${degreesOfFreedom}`);
  }
  return tQuantile((1 + confidence) / 2, degreesOfFreedom);
}

export function assertConfidence(confidence: number): void {
  if (confidence > 0 && confidence < 1) return;
  throw invalidSimulationOption(`confidence must lie in (0, 1), got ${confidence}`);
}

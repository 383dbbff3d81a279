import { normalQuantile } from './normal-quantile';
import { invalidSimulationOption } from './simulation-errors';
import { assertConfidence, studentQuantile } from './student-t';

// Past this many runs t and the normal quantile agree to better than 0.01 %: the rule's
// answer no longer moves, and the search stops.
const SEARCH_LIMIT = 1_000_000_000;

/**
 * The paper's t for a confidence level in the large-sample limit: 2·Φ₀(t) = confidence,
 * where Φ₀ is the Laplace function Φ₀(x) = (1/√(2π))∫₀ˣ e^(−u²/2) du; i.e. the
 * standard-normal quantile of (1 + confidence) / 2. For n runs use Student's t with n − 1
 * degrees of freedom instead ({@link studentQuantile}); this is its limit.
 *
 * @example
 * laplaceQuantile(0.95); // 1.959963984540054
 */
export function laplaceQuantile(confidence: number): number {
  assertConfidence(confidence);
  return normalQuantile((1 + confidence) / 2);
}

/**
 * The paper's replication rule n ≥ t²·S²/δ² with Student's t for n − 1 degrees of freedom:
 * the smallest n ≥ 2 runs that make the mean of a measure with standard deviation S
 * (between runs) precise to ±δ at the confidence. t depends on n, so the rule is solved by
 * search: from the normal-quantile answer (a lower bound, since t > z) upwards.
 *
 * @example
 * requiredRuns(0.004, 0.001, 0.95); // 64 (the normal quantile alone would say 62)
 */
export function requiredRuns(stdDev: number, precision: number, confidence: number): number {
  if (!(stdDev >= 0) || !Number.isFinite(stdDev)) {
    throw invalidSimulationOption(`stdDev must be finite and >= 0, got ${stdDev}`);
  }
  if (!(precision > 0) || !Number.isFinite(precision)) {
    throw invalidSimulationOption(`precision must be finite and > 0, got ${precision}`);
  }
  const ratio = (stdDev * stdDev) / (precision * precision);
  const z = laplaceQuantile(confidence);
  let n = Math.max(2, Math.ceil(z * z * ratio));
  while (n < SEARCH_LIMIT) {
    const t = studentQuantile(confidence, n - 1);
    if (n >= t * t * ratio) return n;
    n++;
  }
  return n;
}

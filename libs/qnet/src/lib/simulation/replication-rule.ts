import { normalQuantile } from './normal-quantile';
import { invalidSimulationOption } from './simulation-errors';

/**
 * The paper's t for a confidence level: 2·Φ₀(t) = confidence, where Φ₀ is the Laplace
 * function Φ₀(x) = (1/√(2π))∫₀ˣ e^(−u²/2) du; i.e. the standard-normal quantile of
 * (1 + confidence) / 2.
 *
 * @example
 * laplaceQuantile(0.95); // 1.959963984540054
 */
export function laplaceQuantile(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw invalidSimulationOption(`confidence must lie in (0, 1), got ${confidence}`);
  }
  return normalQuantile((1 + confidence) / 2);
}

/**
 * The paper's replication rule n ≥ t²·S²/δ²: how many independent runs make the mean
 * of a measure with standard deviation S (between runs) precise to ±δ at the confidence.
 *
 * @example
 * requiredRuns(0.004, 0.001, 0.95); // ceil(1.96² · 16) = 62
 */
export function requiredRuns(stdDev: number, precision: number, confidence: number): number {
  if (!(stdDev >= 0) || !Number.isFinite(stdDev)) {
    throw invalidSimulationOption(`stdDev must be finite and >= 0, got ${stdDev}`);
  }
  if (!(precision > 0) || !Number.isFinite(precision)) {
    throw invalidSimulationOption(`precision must be finite and > 0, got ${precision}`);
  }
  const t = laplaceQuantile(confidence);
  return Math.ceil((t * t * stdDev * stdDev) / (precision * precision));
}

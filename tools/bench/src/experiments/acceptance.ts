// The acceptance thresholds applied to the validation comparisons, each verdict
// with a sentence why when it fails, built from the numbers (never typed in).
import type { ValidationComparison } from './results';
import { MIN_JUDGED_RATE } from './validation-math';

export const RATE_TOLERANCE = 0.05;
export const LATENCY_TOLERANCE = 0.15;
/** Mean latency is held to its tolerance only at or below this utilization. */
export const LATENCY_MAX_UTILIZATION = 0.7;

export type Verdict = {
  /** (measured − model) / model. */
  relativeError: number;
  tolerance: number;
  /**
   * False where the acceptance says nothing: p99, mean latency above ρ 0.7, and a rate the
   * model puts below MIN_JUDGED_RATE (a handful of events, as the validation judges it).
   */
  applies: boolean;
  pass: boolean;
  /** Why it failed, when it did. */
  reason?: string;
};

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** Judges one comparison; `context` says what the machine was doing (for the reason). */
export function judge(c: ValidationComparison, context: { cores: number }): Verdict {
  const relativeError = (c.measured.mean - c.model) / c.model;
  const tolerance = c.kind === 'rate' ? RATE_TOLERANCE : LATENCY_TOLERANCE;
  const applies =
    (c.kind === 'rate' && c.model >= MIN_JUDGED_RATE) ||
    (c.kind === 'mean latency' && c.utilization <= LATENCY_MAX_UTILIZATION + 1e-9);
  const pass = Number.isFinite(relativeError) && Math.abs(relativeError) <= tolerance;
  if (!applies || pass) return { relativeError, tolerance, applies, pass };
  return {
    relativeError,
    tolerance,
    applies,
    pass,
    reason: whyFailed(c, relativeError, tolerance, context),
  };
}

function whyFailed(
  c: ValidationComparison,
  relativeError: number,
  tolerance: number,
  { cores }: { cores: number },
): string {
  if (!Number.isFinite(relativeError))
    return `no measurement (${c.measured.batches} batches) or a model value of 0.`;
  const relativeHalfWidth = c.measured.halfWidth / Math.abs(c.measured.mean);
  if (relativeHalfWidth > tolerance)
    return `the measured 95 % interval alone is ±${percent(relativeHalfWidth)} of the mean, wider than the ±${percent(tolerance)} tolerance: the run was too short for this precision (its interval is over ${c.measured.batches} batch means or one-second rates).`;
  const side = relativeError > 0 ? 'above' : 'below';
  if (c.kind === 'rate')
    return `the measured rate is ${percent(Math.abs(relativeError))} ${side} the traffic equations' ${c.model.toFixed(1)} ${c.unit}, outside its interval: the routing probabilities derived from the workload (p_stale, p_miss) ${relativeError > 0 ? 'undercount' : 'overcount'} what reached ${c.station}.`;
  const simulated =
    c.simulated === undefined
      ? ''
      : ` (the simulator gives ${c.simulated.toFixed(2)} ${c.unit}, ${percent(Math.abs((c.simulated - c.model) / c.model))} from the analytic model)`;
  return relativeError > 0
    ? `measured ${percent(relativeError)} above the model${simulated}, outside its interval: the model counts only the stations' service, while here the load generator and every service share ${cores} cores and each request crosses HTTP hops the model has no station for.`
    : `measured ${percent(-relativeError)} below the model${simulated}, outside its interval: the M/M/c model's exponential service overstates the queueing of a service whose time varies less.`;
}

// One validation point's row: the measurement next to the analytic model and the
// simulator for the same workload, the relative errors and the acceptance.
import { type MeanInterval } from '@ml-run/qnet';

import { type OpenLoopCounts } from '../loadgen';
import { type CalibrationResult } from './calibrate';
import { type CalibratedStation } from './calibration-math';
import {
  acceptance,
  analyticPrediction,
  MIN_JUDGED_RATE,
  relativeError,
  simulatedPrediction,
  STATIONS,
  type Acceptance,
  type AnalyticPrediction,
  type SimulatedPrediction,
  type Workload,
} from './validation-math';

/** What one (K, ρ) point measured. Latencies in seconds, rates per second. */
export type MeasuredPoint = {
  wrappers: number;
  utilization: number;
  /** The target λ = ρ·K·μ_predict. */
  rate: number;
  /**
   * The arrivals the generator actually scheduled in the windows, per second: a Poisson
   * schedule of a few hundred arrivals is off its mean by several percent, and the model
   * is asked about the load that was offered.
   */
  offeredRate: number;
  clients: number;
  l1TtlSeconds: number;
  tokenLifetimeSeconds: number;
  /** Over the batch means (Student's t, 95%). */
  meanLatency: MeanInterval;
  /** Of the 2xx requests, from their scheduled send, in the longest run. */
  p99LatencySeconds: number;
  /** Over the window's one-second rates (Student's t, 95%). */
  rates: Record<CalibratedStation, MeanInterval>;
  batches: {
    batchSeconds: number;
    pilot: number;
    /** n from n ≥ t²S²/δ² over the pilot's batch means. */
    required: number;
    used: number;
    /** The cap stopped the run before n. */
    capped: boolean;
    relativePrecision: number;
  };
  counts: OpenLoopCounts[];
  pinned: boolean;
};

/** A model variant's mean latency against the measured one. */
export type VariantFit = {
  name: string;
  predictServiceScv: number;
  meanLatency: number;
  error: number | null;
};

export type ValidationRow = {
  wrappers: number;
  targetUtilization: number;
  /** The target λ = ρ·K·μ_predict, requests per second. */
  rate: number;
  /** λ actually scheduled in the windows: the model's input rate. */
  offeredRate: number;
  clients: number;
  l1TtlSeconds: number;
  tokenLifetimeSeconds: number;
  /** Predicted by the model from the workload, never fitted. */
  pStale: number;
  pMiss: number;
  measured: {
    meanLatency: MeanInterval;
    p99Latency: number;
    rates: Record<CalibratedStation, MeanInterval>;
    /** Predict arrivals × its service time / K. */
    utilization: number;
    batches: MeasuredPoint['batches'];
    counts: OpenLoopCounts[];
    pinned: boolean;
  };
  analytic: {
    meanLatency: number;
    rates: Record<CalibratedStation, number>;
    /** End-to-end percentiles have no closed form here: only the simulator gives them. */
    p99Latency: null;
  };
  simulated: { runs: number; meanLatency: MeanInterval; p99Latency: MeanInterval };
  errors: {
    meanLatency: number | null;
    simulatedMeanLatency: number | null;
    p99Latency: number | null;
    rates: Record<CalibratedStation, number | null>;
    /** The largest judged rate error. */
    worstRate: number | null;
  };
  /** M/M/c (scv 1) and M/D/c (scv 0) for predict: which mean fits better. */
  variants: VariantFit[];
  bestVariant: string;
  acceptance: Acceptance;
};

const VARIANTS = [
  { name: 'M/M/c predict (exponential)', predictServiceScv: 1 },
  { name: 'M/D/c predict (deterministic)', predictServiceScv: 0 },
];

/** The row for a measured point: model and simulator at the calibrated rates. */
export function buildRow(
  point: MeasuredPoint,
  calibration: Pick<CalibrationResult, 'experimentServiceRates' | 'pathOverheadSeconds'>,
  plan: { simulationRuns: number; simulationSeconds: number },
  seed: number,
): ValidationRow {
  const workload: Workload = {
    rate: point.offeredRate,
    clients: point.clients,
    wrappers: point.wrappers,
    l1TtlSeconds: point.l1TtlSeconds,
    tokenLifetimeSeconds: point.tokenLifetimeSeconds,
    serviceRates: calibration.experimentServiceRates,
  };
  const overhead = calibration.pathOverheadSeconds;
  const analytic = analyticPrediction(workload, overhead);
  const simulated = simulatedPrediction(workload, overhead, {
    runs: plan.simulationRuns,
    seconds: plan.simulationSeconds,
    seed,
  });
  const errors = errorsOf(point, analytic, simulated);
  const variants = variantFits(workload, overhead, point.meanLatency.mean);
  const busy = 1 / calibration.experimentServiceRates.predict;
  return {
    ...pick(point),
    pStale: analytic.pStale,
    pMiss: analytic.pMiss,
    measured: {
      ...measuredPart(point),
      utilization: (point.rates.predict.mean * busy) / point.wrappers,
    },
    analytic: { meanLatency: analytic.meanLatency, rates: analytic.rates, p99Latency: null },
    simulated,
    errors,
    variants,
    bestVariant: bestOf(variants),
    acceptance: judge(point, analytic, errors),
  };
}

function judge(
  point: MeasuredPoint,
  analytic: AnalyticPrediction,
  errors: ValidationRow['errors'],
): Acceptance {
  return acceptance({
    utilization: point.utilization,
    rateErrors: errors.rates,
    modelRates: analytic.rates,
    measuredRates: point.rates,
    meanLatencyError: errors.meanLatency,
  });
}

function variantFits(workload: Workload, overhead: number, measured: number): VariantFit[] {
  return VARIANTS.map((v) => {
    const variant = { ...workload, predictServiceScv: v.predictServiceScv };
    const meanLatency = analyticPrediction(variant, overhead).meanLatency;
    return { ...v, meanLatency, error: relativeError(measured, meanLatency) };
  });
}

function measuredPart(point: MeasuredPoint) {
  const { meanLatency, rates, batches, counts, pinned } = point;
  return { meanLatency, p99Latency: point.p99LatencySeconds, rates, batches, counts, pinned };
}

function pick(point: MeasuredPoint) {
  return {
    wrappers: point.wrappers,
    targetUtilization: point.utilization,
    rate: point.rate,
    offeredRate: point.offeredRate,
    clients: point.clients,
    l1TtlSeconds: point.l1TtlSeconds,
    tokenLifetimeSeconds: point.tokenLifetimeSeconds,
  };
}

function errorsOf(
  point: MeasuredPoint,
  analytic: AnalyticPrediction,
  simulated: SimulatedPrediction,
): ValidationRow['errors'] {
  const rates = Object.fromEntries(
    STATIONS.map((name) => [name, relativeError(point.rates[name].mean, analytic.rates[name])]),
  ) as Record<CalibratedStation, number | null>;
  const judged = STATIONS.filter((name) => analytic.rates[name] >= MIN_JUDGED_RATE)
    .map((name) => rates[name])
    .filter((e): e is number => e !== null);
  return {
    meanLatency: relativeError(point.meanLatency.mean, analytic.meanLatency),
    simulatedMeanLatency: relativeError(point.meanLatency.mean, simulated.meanLatency.mean),
    p99Latency: relativeError(point.p99LatencySeconds, simulated.p99Latency.mean),
    rates,
    worstRate: judged.length > 0 ? Math.max(...judged) : null,
  };
}

function bestOf(variants: VariantFit[]): string {
  let best: VariantFit | undefined;
  for (const v of variants)
    if (v.error !== null && (best?.error == null || v.error < best.error)) best = v;
  return best?.name ?? 'none (no measured mean)';
}

import { invalidSimulationOption } from './simulation-errors';

/**
 * How a station's service times are drawn. `exponential` uses the station's
 * `serviceRate`. `empirical` resamples uniformly (with replacement) from measured
 * service times in seconds; the station's `serviceRate` is then IGNORED by the
 * simulator (set it to 1 / mean of the samples if you compare with the analytic model).
 *
 * @example
 * const serviceTimes: Record<string, ServiceTimeDistribution> = {
 *   predict: { kind: 'empirical', samplesSeconds: [0.011, 0.009, 0.014, 0.010] },
 *   router: { kind: 'exponential' },
 * };
 */
export type ServiceTimeDistribution =
  { kind: 'exponential' } | { kind: 'empirical'; samplesSeconds: readonly number[] };

/**
 * The service-time samples to resample from, or null for exponential service.
 * Throws QnetError when the distribution is empirical with no or invalid samples.
 */
export function empiricalSamples(
  station: string,
  distribution: ServiceTimeDistribution | undefined,
): Float64Array | null {
  if (distribution === undefined || distribution.kind === 'exponential') return null;
  if (distribution.kind !== 'empirical') {
    throw invalidSimulationOption(`unknown service-time kind for station "${station}"`, station);
  }
  const samples = distribution.samplesSeconds;
  if (!Array.isArray(samples) || samples.length === 0) {
    throw invalidSimulationOption(
      `empirical service times of station "${station}" need at least one sample`,
      station,
    );
  }
  for (const sample of samples) {
    if (typeof sample !== 'number' || !Number.isFinite(sample) || sample < 0) {
      throw invalidSimulationOption(
        `empirical service times of station "${station}" must be finite and >= 0 seconds, got ${sample}`,
        station,
      );
    }
  }
  return Float64Array.from(samples);
}

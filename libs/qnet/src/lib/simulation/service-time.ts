import { type Station } from '../network';
import { invalidSimulationOption } from './simulation-errors';

/**
 * How a station's service times are drawn. `exponential`, `deterministic` (always
 * 1/serviceRate) and `gamma` (mean 1/serviceRate, squared coefficient of variation `scv`)
 * use the station's `serviceRate`. `empirical` resamples uniformly (with replacement) from
 * measured service times in seconds; the station's `serviceRate` is then IGNORED by the
 * simulator (set it to 1 / mean of the samples if you compare with the analytic model).
 * A station without one follows its own `serviceScv`: 1 (or none) exponential, 0
 * deterministic, otherwise gamma with that SCV.
 *
 * @example
 * const serviceTimes: Record<string, ServiceTimeDistribution> = {
 *   predict: { kind: 'empirical', samplesSeconds: [0.011, 0.009, 0.014, 0.010] },
 *   router: { kind: 'deterministic' },
 * };
 */
export type ServiceTimeDistribution =
  | { kind: 'exponential' }
  | { kind: 'deterministic' }
  | { kind: 'gamma'; scv: number }
  | { kind: 'empirical'; samplesSeconds: readonly number[] };

/** The compiled form the event loop draws from. */
export type ServiceSampler =
  | { readonly kind: 'exponential' }
  | { readonly kind: 'deterministic' }
  | { readonly kind: 'gamma'; readonly shape: number }
  | { readonly kind: 'empirical'; readonly samples: Float64Array };

/**
 * The sampler of one station: its `serviceTimes` entry if given, else its serviceScv.
 * Throws QnetError (INVALID_OPTIONS) for an unknown kind, a bad SCV or bad samples.
 */
export function serviceSampler(
  station: Station,
  distribution: ServiceTimeDistribution | undefined,
): ServiceSampler {
  const name = station.name;
  const chosen = distribution ?? fromScv(station.serviceScv ?? 1);
  switch (chosen.kind) {
    case 'exponential':
    case 'deterministic':
      return { kind: chosen.kind };
    case 'gamma':
      if (!(Number.isFinite(chosen.scv) && chosen.scv > 0)) {
        throw invalidSimulationOption(
          `gamma service times of station "${name}" need an scv above 0, got ${chosen.scv}`,
          name,
        );
      }
      return { kind: 'gamma', shape: 1 / chosen.scv };
    case 'empirical':
      return { kind: 'empirical', samples: empiricalSamples(name, chosen.samplesSeconds) };
    default:
      throw invalidSimulationOption(`unknown service-time kind for station "${name}"`, name);
  }
}

function fromScv(scv: number): ServiceTimeDistribution {
  if (scv === 1) return { kind: 'exponential' };
  if (scv === 0) return { kind: 'deterministic' };
  return { kind: 'gamma', scv };
}

function empiricalSamples(station: string, samples: readonly number[]): Float64Array {
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

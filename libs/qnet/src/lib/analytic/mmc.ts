import { QnetError } from '../network';
import { erlangC } from './erlang';
import { formatNumber } from './format-number';

/** Steady-state means of one M/M/c station; times in seconds, counts in jobs. */
export type QueueMetrics = {
  /** ρ = λ / (c·μ), the busy fraction of each server. */
  readonly utilization: number;
  /** Erlang C: probability that an arrival has to queue. */
  readonly waitProbability: number;
  /** Wq: mean time in the queue, before service starts. */
  readonly meanWait: number;
  /** W = Wq + 1/μ: mean time at the station (queue + service). */
  readonly meanSojourn: number;
  /** Lq = λ·Wq (Little's law). */
  readonly meanInQueue: number;
  /** L = λ·W (Little's law). */
  readonly meanInSystem: number;
};

/**
 * M/M/c steady state: Wq = C(c, a) / (c·μ − λ) with a = λ/μ, then W, Lq and L by Little's
 * law. Throws QnetError('UNSTABLE') when ρ = λ/(c·μ) ≥ 1 (no steady state exists).
 *
 * @example
 * mmc(5, 1, 10).meanSojourn; // M/M/1: 1/(μ − λ) = 0.2 s
 */
export function mmc(arrivalRate: number, servers: number, serviceRate: number): QueueMetrics {
  const metrics = mmcMetrics(arrivalRate, servers, serviceRate);
  if (metrics.utilization < 1) return metrics;
  throw new QnetError(
    'UNSTABLE',
    `The station is overloaded (ρ = ${formatNumber(metrics.utilization)} ≥ 1): ` +
      `keep the arrival rate below c·μ = ${formatNumber(servers * serviceRate)}/s or add servers.`,
  );
}

/**
 * Like {@link mmc} but never throws UNSTABLE: an overloaded station (ρ ≥ 1) reports its
 * ρ, a wait probability of 1 and infinite waits and queue lengths.
 */
export function mmcMetrics(
  arrivalRate: number,
  servers: number,
  serviceRate: number,
): QueueMetrics {
  assertRates(arrivalRate, serviceRate);
  const utilization = arrivalRate / (servers * serviceRate);
  const waitProbability = erlangC(servers, arrivalRate / serviceRate);
  if (utilization >= 1) {
    const forever = Number.POSITIVE_INFINITY;
    return {
      utilization,
      waitProbability,
      meanWait: forever,
      meanSojourn: forever,
      meanInQueue: forever,
      meanInSystem: forever,
    };
  }
  const meanWait = waitProbability / (servers * serviceRate - arrivalRate);
  const meanSojourn = meanWait + 1 / serviceRate;
  return {
    utilization,
    waitProbability,
    meanWait,
    meanSojourn,
    meanInQueue: arrivalRate * meanWait,
    meanInSystem: arrivalRate * meanSojourn,
  };
}

function assertRates(arrivalRate: number, serviceRate: number): void {
  if (!Number.isFinite(arrivalRate) || arrivalRate < 0) {
    throw new QnetError(
      'NEGATIVE_RATE',
      `The arrival rate must be a finite number of at least 0 jobs/s (got ${arrivalRate}).`,
    );
  }
  if (!Number.isFinite(serviceRate) || serviceRate <= 0) {
    throw new QnetError(
      'NEGATIVE_RATE',
      `The service rate must be a finite number above 0 jobs/s (got ${serviceRate}).`,
    );
  }
}

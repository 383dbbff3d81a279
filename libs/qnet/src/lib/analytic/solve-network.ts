import { QnetError, type OpenNetwork, type Station } from '../network';
import { formatNumber } from './format-number';
import { type QueueMetrics } from './mmc';
import { sojournQuantile, stationMetrics } from './station-metrics';
import { trafficRates } from './traffic-rates';

/** One station of a solved network: its traffic and M/M/c means (seconds, jobs). */
export type StationSolution = QueueMetrics & {
  readonly name: string;
  readonly servers: number;
  readonly serviceRate: number;
  /** λ_i, total arrival rate from the traffic equations. */
  readonly arrivalRate: number;
  /** Mean visits per external arrival: λ_i / Σγ. */
  readonly visits: number;
  /**
   * 99th percentile of one visit's sojourn where it is exact (exponential service, see
   * sojournQuantile), else null: the simulator gives it then. End-to-end percentiles are
   * not sums of these; only the simulator gives them.
   */
  readonly p99Sojourn: number | null;
};

/**
 * A solved open network (Jackson's theorem: each station behaves as an independent M/M/c;
 * stations with split queues or non-exponential service use stationMetrics' forms).
 */
export type NetworkSolution = {
  /** In the order of the input's stations. */
  readonly stations: readonly StationSolution[];
  /** Σγ, total external arrival rate. */
  readonly externalRate: number;
  /** End-to-end mean response time: Σ visits_i × W_i. */
  readonly meanResponseTime: number;
  /** Σ L_i; equals externalRate × meanResponseTime (Little's law for the whole network). */
  readonly meanInSystem: number;
  /** The station with the highest utilization. */
  readonly bottleneck: string;
  /** Largest Σγ, scaling all external arrivals together, that keeps every ρ < 1: Σγ / max ρ. */
  readonly maxExternalRate: number;
};

/**
 * Solves an open Jackson network: traffic equations, then M/M/c per station. Throws
 * QnetError('UNSTABLE') naming the busiest station when any ρ ≥ 1, besides the
 * validation errors of {@link trafficRates}.
 *
 * @example
 * const solution = solveNetwork({
 *   stations: [{ name: 'a', servers: 1, serviceRate: 10 }],
 *   arrivals: { a: 5 },
 *   routing: {},
 * });
 * solution.meanResponseTime; // 1 / (10 − 5) = 0.2 s
 * solution.maxExternalRate; // 10
 */
export function solveNetwork(net: OpenNetwork): NetworkSolution {
  const solution = analyzeNetwork(net);
  const worst = solution.stations.find((station) => station.name === solution.bottleneck);
  if (!worst || worst.utilization < 1) return solution;
  throw new QnetError(
    'UNSTABLE',
    `Station "${worst.name}" is overloaded (ρ = ${formatNumber(worst.utilization)} ≥ 1): ` +
      `keep the external rate below ${formatNumber(solution.maxExternalRate)}/s or add servers to it.`,
    worst.name,
  );
}

/**
 * Same as {@link solveNetwork} but never throws UNSTABLE: stations with ρ ≥ 1 get infinite
 * waits (and so does the network's response time), for showing an overloaded system.
 *
 * @example
 * analyzeNetwork({
 *   stations: [{ name: 'a', servers: 1, serviceRate: 10 }],
 *   arrivals: { a: 20 },
 *   routing: {},
 * }).meanResponseTime; // Infinity
 */
export function analyzeNetwork(net: OpenNetwork): NetworkSolution {
  const rates = trafficRates(net);
  const externalRate = Object.values(net.arrivals).reduce((sum, rate) => sum + rate, 0);
  if (externalRate <= 0) {
    throw new QnetError(
      'INVALID_NETWORK',
      'The network has no external arrivals: give at least one station a positive arrival rate.',
    );
  }
  const stations = net.stations.map((station) =>
    solveStation(station, rates[station.name], externalRate),
  );
  const busiest = stations.reduce((a, b) => (b.utilization > a.utilization ? b : a));
  return {
    stations,
    externalRate,
    meanResponseTime: stations.reduce((sum, s) => sum + s.visits * s.meanSojourn, 0),
    meanInSystem: stations.reduce((sum, s) => sum + s.meanInSystem, 0),
    bottleneck: busiest.name,
    // Every λ_i scales linearly with Σγ, so ρ_max reaches 1 at Σγ / ρ_max.
    maxExternalRate: externalRate / busiest.utilization,
  };
}

function solveStation(
  station: Station,
  arrivalRate: number,
  externalRate: number,
): StationSolution {
  const { name, servers, serviceRate } = station;
  return {
    name,
    servers,
    serviceRate,
    arrivalRate,
    visits: arrivalRate / externalRate,
    ...stationMetrics(arrivalRate, station),
    p99Sojourn: sojournQuantile(arrivalRate, station, 0.99),
  };
}

import { type NetworkSolution } from '../analytic/solve-network';
import { trafficRates } from '../analytic/traffic-rates';
import { mlrunNetwork } from './mlrun-network';
import { type MlrunParameters } from './mlrun-parameters';

/** A data series for a chart: x/y points with axis labels (and category labels for bars). */
export type Series = {
  readonly name: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** For categorical x (x = index): the label of each point. */
  readonly labels?: readonly string[];
};

/**
 * The paper's first relation: requests per second reaching predict versus the token-aging
 * probability, λ·(1 − p_stale), linear because a stale request leaves for the issuer.
 *
 * @example
 * predictRateVsStale(DEFAULT_MLRUN_PARAMETERS, [0, 0.5, 1]).points; // y: 1000, 500, 0
 */
export function predictRateVsStale(p: MlrunParameters, pStaleValues: readonly number[]): Series {
  return {
    name: 'rate reaching predict',
    xLabel: 'token-aging probability p_stale',
    yLabel: 'requests/s reaching predict',
    points: pStaleValues.map((pStale) => ({
      x: pStale,
      y: trafficRates(mlrunNetwork({ ...p, pStale })).predict,
    })),
  };
}

/**
 * The paper's second relation: new-token (issuer) requests per second versus the token
 * lifetime T, λ·p_stale = λ·clients / (clients + λ·T), decreasing in T (≈ clients/T for
 * long lifetimes). Any pStale override in `p` is ignored: p_stale is what T changes.
 *
 * @example
 * tokenRateVsLifetime(DEFAULT_MLRUN_PARAMETERS, [60, 600, 3600]);
 */
export function tokenRateVsLifetime(
  p: MlrunParameters,
  lifetimesSeconds: readonly number[],
): Series {
  const derived: MlrunParameters = { ...p, pStale: undefined };
  return {
    name: 'new-token request rate',
    xLabel: 'token lifetime (s)',
    yLabel: 'new-token requests/s',
    points: lifetimesSeconds.map((tokenLifetimeSeconds) => ({
      x: tokenLifetimeSeconds,
      y: trafficRates(mlrunNetwork({ ...derived, tokenLifetimeSeconds })).issuer,
    })),
  };
}

/**
 * Per-station utilization for a bar chart: x is the station's index, `labels` its name.
 *
 * @example
 * utilizationSeries(solveMlrun(DEFAULT_MLRUN_PARAMETERS)).labels; // ['router', 'token-check', …]
 */
export function utilizationSeries(solution: NetworkSolution): Series {
  return {
    name: 'utilization',
    xLabel: 'station',
    yLabel: 'utilization ρ',
    points: solution.stations.map((station, x) => ({ x, y: station.utilization })),
    labels: solution.stations.map((station) => station.name),
  };
}

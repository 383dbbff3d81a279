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
 * How the token lifetime follows the L1 lifetime in validatorRateVsLifetime: 'fixed' holds
 * it at p.tokenLifetimeSeconds (raised to the L1 TTL where that is longer: the wrapper
 * never caches a token past its expiry, so a longer TTL would be the token's lifetime
 * anyway); 'equal' sets it to the L1 TTL (tokens as short-lived as the cache).
 */
export type TokenLifetimeMode = 'fixed' | 'equal';

/**
 * Fig. 5, the paper's first relation: requests per second reaching predict versus the
 * token-aging probability, λ·(1 − p_stale). It is the model's relation for staleRequests
 * 'leave' (a stale request leaves for the issuer), linear by construction: the experiments
 * measure it on the running system. With 'retry' predict would see λ whatever p_stale;
 * this series always shows the 'leave' relation.
 *
 * @example
 * predictRateVsStale(DEFAULT_MLRUN_PARAMETERS, [0, 0.5, 1]).points; // y: 1000, 500, 0
 */
export function predictRateVsStale(p: MlrunParameters, pStaleValues: readonly number[]): Series {
  const leave: MlrunParameters = { ...p, staleRequests: 'leave' };
  return {
    name: 'rate reaching predict',
    xLabel: 'token-aging probability p_stale',
    yLabel: 'requests/s reaching predict',
    points: pStaleValues.map((pStale) => ({
      x: pStale,
      y: trafficRates(mlrunNetwork({ ...leave, pStale })).predict,
    })),
  };
}

/**
 * Fig. 6, the paper's quantity: token requests per second from the wrappers to the
 * validator, λ_validator = λ·(p_stale + (1 − p_stale)·p_miss), against the L1 lifetime
 * (the wrapper's L1 TTL), one series per K in `wrappersList`. It grows with K (each
 * replica's cache sees 1/K of a client's requests) and falls steeply with the lifetime:
 * about λ·C·K/(C·K + λ·d) while p_stale is small. The token lifetime follows `mode` (see
 * TokenLifetimeMode; default 'fixed'); any pStale/pMiss override in `p` is ignored, since
 * both are what the lifetime changes.
 *
 * @example
 * validatorRateVsLifetime(DEFAULT_MLRUN_PARAMETERS, [0.1, 1, 10], [1, 2, 4]); // 3 series
 */
export function validatorRateVsLifetime(
  p: MlrunParameters,
  lifetimesSeconds: readonly number[],
  wrappersList: readonly number[],
  mode: TokenLifetimeMode = 'fixed',
): Series[] {
  const derived: MlrunParameters = { ...p, pStale: undefined, pMiss: undefined };
  return wrappersList.map((wrappers) => ({
    name: `K = ${wrappers}`,
    xLabel: 'L1 cache lifetime (s)',
    yLabel: 'token requests/s to the validator',
    points: lifetimesSeconds.map((l1TtlSeconds) => {
      const tokenLifetimeSeconds =
        mode === 'equal' ? l1TtlSeconds : Math.max(p.tokenLifetimeSeconds, l1TtlSeconds);
      const servers = { ...p.servers, wrappers };
      const net = mlrunNetwork({ ...derived, servers, l1TtlSeconds, tokenLifetimeSeconds });
      return { x: l1TtlSeconds, y: trafficRates(net).validator };
    }),
  }));
}

/**
 * Logins per second (new-token requests at the issuer) versus the token lifetime T:
 * λ·p_stale = λ·clients / (clients + λ·T) for the fresh rate λ (with either staleRequests),
 * decreasing in T (≈ clients/T for long lifetimes) and independent of K. Any pStale
 * override in `p` is ignored: p_stale is what T changes.
 *
 * @example
 * loginRateVsTokenLifetime(DEFAULT_MLRUN_PARAMETERS, [60, 600, 3600]);
 */
export function loginRateVsTokenLifetime(
  p: MlrunParameters,
  lifetimesSeconds: readonly number[],
): Series {
  const derived: MlrunParameters = { ...p, pStale: undefined };
  return {
    name: 'login rate',
    xLabel: 'token lifetime (s)',
    yLabel: 'logins/s at the issuer',
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

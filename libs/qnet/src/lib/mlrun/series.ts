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

/** p_stale from 0 to 1 in `steps` equal steps (21 values by default): Fig. 5's x axis. */
export function pStaleRange(steps = 20): number[] {
  return Array.from({ length: steps + 1 }, (_, i) => Math.round((i / steps) * 1e6) / 1e6);
}

/** Fig. 6's x axis: L1 lifetimes from 0.1 s to 1 min, log-spaced (1-2-5). */
export const FIG6_L1_LIFETIMES_SECONDS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60] as const;
/** The wrapper counts K that Fig. 6 draws a line for. */
export const FIG6_WRAPPERS = [1, 2, 4] as const;
/** Token lifetimes for the login-rate chart: a log-ish range from one minute to one day. */
export const LOGIN_LIFETIMES_SECONDS = [
  60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400,
] as const;

/**
 * Fig. 5 as the CLI and the console draw it: predictRateVsStale over pStaleRange().
 *
 * @example
 * fig5Series(DEFAULT_MLRUN_PARAMETERS).points.length; // 21
 */
export function fig5Series(p: MlrunParameters): Series {
  return predictRateVsStale(p, pStaleRange());
}

/**
 * Fig. 6 as the CLI and the console draw it: validatorRateVsLifetime over
 * FIG6_L1_LIFETIMES_SECONDS, one series per K in FIG6_WRAPPERS.
 *
 * @example
 * fig6Series(DEFAULT_MLRUN_PARAMETERS).map((s) => s.name); // ['K = 1', 'K = 2', 'K = 4']
 */
export function fig6Series(p: MlrunParameters): Series[] {
  return validatorRateVsLifetime(p, FIG6_L1_LIFETIMES_SECONDS, FIG6_WRAPPERS);
}

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

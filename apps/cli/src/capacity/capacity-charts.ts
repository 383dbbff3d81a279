// Pure data → vega-lite spec builders for `ml-run capacity --plot`; rendering is @ml-run/charts (renderSvg).
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

export const CHART_KINDS = ['fig5', 'fig6', 'logins', 'utilization'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export type ChartPoint = { x: number; y: number };
/** One line of a multi-line chart: its legend label and points. */
export type ChartLine = { label: string; points: readonly ChartPoint[] };
export type StationUtilization = { station: string; utilization: number };

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const SIZE = { width: 560, height: 320 };
const L1_LIFETIME_TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 60];
const LIFETIME_TICKS = [60, 300, 900, 3600, 14400, 86400];

const lineLayer = (points: readonly ChartPoint[]) => ({
  data: { values: points.map((p) => ({ x: p.x, y: p.y })) },
  mark: { type: 'line' as const, point: { filled: true, size: 40 }, strokeWidth: 2 },
});

/** Fig. 5: request rate reaching predict versus the token-aging probability (linear). */
export function fig5Spec(points: readonly ChartPoint[], rate: number): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: {
      text: 'Request rate reaching predict vs token-aging probability',
      subtitle: `external rate λ = ${rate} req/s`,
    },
    ...SIZE,
    ...lineLayer(points),
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: 'token-aging probability p_stale',
        scale: { domain: [0, 1] },
      },
      y: { field: 'y', type: 'quantitative', title: 'rate reaching predict (req/s)' },
    },
  };
}

/**
 * Fig. 6, the paper's quantity: token requests per second from the wrappers to the
 * validator versus the L1 cache lifetime, one line per K, lifetime on a log axis.
 */
export function fig6Spec(lines: readonly ChartLine[], rate: number, clients: number): TopLevelSpec {
  const values = lines.flatMap(({ label, points }) =>
    points.map((p) => ({ x: p.x, y: p.y, wrappers: label })),
  );
  return {
    $schema: SCHEMA,
    title: {
      text: 'Token requests to the validator vs L1 cache lifetime',
      subtitle: `λ = ${rate} req/s, ${clients} clients; one line per number of wrappers K`,
    },
    ...SIZE,
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: 'L1 cache lifetime (log scale)',
        scale: { type: 'log', domain: extent(values), nice: false },
        axis: { values: L1_LIFETIME_TICKS, labelExpr: "datum.value + ' s'" },
      },
      y: { field: 'y', type: 'quantitative', title: 'token requests to the validator (req/s)' },
      color: { field: 'wrappers', type: 'nominal', title: 'wrappers', sort: null },
    },
  };
}

/** Login (new-token) rate at the issuer versus token lifetime, lifetime on a log axis. */
export function loginsSpec(points: readonly ChartPoint[], clients: number): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: {
      text: 'Login rate vs token lifetime',
      subtitle: `${clients} clients`,
    },
    ...SIZE,
    ...lineLayer(points),
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: 'token lifetime (log scale)',
        scale: { type: 'log', domain: extent(points), nice: false },
        axis: {
          values: LIFETIME_TICKS,
          labelExpr: "datum.value < 3600 ? datum.value / 60 + ' min' : datum.value / 3600 + ' h'",
        },
      },
      y: { field: 'y', type: 'quantitative', title: 'login rate at the issuer (logins/s)' },
    },
  };
}

type UtilizationBar = { station: string; percent: number; over: boolean };

/** Utilization per station (bars, %), with a rule at the target utilization. */
export function utilizationSpec(
  stations: readonly StationUtilization[],
  target: number,
): TopLevelSpec {
  const bars = stations.map((s) => ({
    station: s.station,
    percent: round(s.utilization * 100),
    over: s.utilization > target,
  }));
  const top = Math.max(100, ...bars.map((v) => v.percent));
  return {
    $schema: SCHEMA,
    title: { text: 'Utilization per station', subtitle: `target ${round(target * 100)} %` },
    ...SIZE,
    layer: [
      barLayer(bars, top),
      {
        data: { values: [{ target: round(target * 100) }] },
        mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2, color: 'black' },
        encoding: { y: { field: 'target', type: 'quantitative', scale: { domain: [0, top] } } },
      },
    ],
  };
}

// Red where a station is over the target.
const barLayer = (bars: UtilizationBar[], top: number) => ({
  data: { values: bars },
  mark: { type: 'bar' as const },
  encoding: {
    x: {
      field: 'station',
      type: 'nominal' as const,
      sort: null,
      title: 'station',
      axis: { labelAngle: 0 },
    },
    y: {
      field: 'percent',
      type: 'quantitative' as const,
      scale: { domain: [0, top] },
      title: 'utilization ρ (%)',
    },
    color: { condition: { test: 'datum.over', value: '#d62728' }, value: '#4c78a8' },
  },
});

const round = (value: number) => Math.round(value * 100) / 100;

const extent = (points: readonly ChartPoint[]) => {
  const xs = points.map((p) => p.x);
  return [Math.min(...xs), Math.max(...xs)];
};

// Pure results → vega-lite specs for the experiment figures; @ml-run/charts renders them.
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

import type { Fig5Result } from './fig5';
import type { Fig6Result } from './fig6';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const SIZE = { width: 560, height: 340 };

/** One line of a model, or one measured point with its intervals. */
export type ModelLine = { series: string; points: { x: number; y: number }[] };
export type MeasuredPoint = {
  series: string;
  x: number;
  y: number;
  yLow: number;
  yHigh: number;
  xLow?: number;
  xHigh?: number;
};

const finite = (value: number | undefined, fallback: number) =>
  value !== undefined && Number.isFinite(value) ? value : fallback;

// Infinite half-widths (one batch) draw as no bar rather than breaking the scale.
function measured(points: readonly MeasuredPoint[]) {
  return points.map((p) => ({
    series: p.series,
    x: p.x,
    y: p.y,
    yLow: finite(p.yLow, p.y),
    yHigh: finite(p.yHigh, p.y),
    xLow: finite(p.xLow, p.x),
    xHigh: finite(p.xHigh, p.x),
  }));
}

type Axis = { title: string; log?: boolean; domain?: number[] };
type Channel = { field: string; type: 'quantitative'; title: string; scale: object };

/**
 * Model lines and measured points (with x and y error bars) on one chart, one colour per
 * series; the legend names each series.
 */
export function modelAndMeasurementSpec(chart: {
  title: string;
  /** One line each: a long single subtitle would widen the SVG past its plot. */
  subtitle: string[];
  x: Axis;
  y: Axis;
  lines: readonly ModelLine[];
  points: readonly MeasuredPoint[];
}): TopLevelSpec {
  const x = channel('x', chart.x);
  const y = channel('y', chart.y);
  // One legend for lines and points alike, its labels whole (vega-lite cuts them at 160 px).
  const series = [
    ...new Set([...chart.lines.map((l) => l.series), ...chart.points.map((p) => p.series)]),
  ];
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain: series },
    legend: { labelLimit: 400, orient: 'bottom' as const, direction: 'vertical' as const },
  };
  return {
    $schema: SCHEMA,
    title: { text: chart.title, subtitle: chart.subtitle },
    ...SIZE,
    layer: layers(chart, { x, y, color }),
  };
}

// A log axis gets a margin each side, so a point at either end keeps its whole error bar.
const LOG_MARGIN = 1.25;

function channel(field: 'x' | 'y', axis: Axis): Channel {
  const domain =
    axis.domain && axis.log
      ? [(axis.domain[0] ?? 1) / LOG_MARGIN, (axis.domain[1] ?? 1) * LOG_MARGIN]
      : axis.domain;
  const scale = {
    ...(axis.log ? { type: 'log' as const } : { zero: true }),
    ...(domain ? { domain } : {}),
    nice: !axis.log,
  };
  return { field, type: 'quantitative', title: axis.title, scale };
}

// The model's lines, then each measured point's y and x error bars, then the point.
function layers(
  chart: { lines: readonly ModelLine[]; points: readonly MeasuredPoint[] },
  channels: { x: Channel; y: Channel; color: object },
) {
  const { x, y, color } = channels;
  const lineValues = chart.lines.flatMap((line) =>
    line.points.map((p) => ({ series: line.series, x: p.x, y: p.y })),
  );
  const values = measured(chart.points);
  return [
    {
      data: { values: lineValues },
      mark: { type: 'line' as const, strokeWidth: 2 },
      encoding: { x, y, color },
    },
    {
      data: { values },
      mark: { type: 'rule' as const },
      encoding: { x, y: { ...y, field: 'yLow' }, y2: { field: 'yHigh' }, color },
    },
    {
      data: { values },
      mark: { type: 'rule' as const },
      encoding: { x: { ...x, field: 'xLow' }, x2: { field: 'xHigh' }, y, color },
    },
    {
      data: { values },
      mark: { type: 'point' as const, filled: true, size: 60 },
      encoding: { x, y, color },
    },
  ];
}

/** Fig. 5: predict rate against measured p_stale, both series, with the model λ(1 − p). */
export function fig5Spec(result: Fig5Result): TopLevelSpec {
  const rate = offeredRate(result);
  const top = Math.max(0.5, ...result.points.map((p) => finite(p.staleInterval.high, p.stale)));
  const label = {
    expiry: 'measured: real token expiry',
    injected: 'measured: injected stale tokens',
  };
  return modelAndMeasurementSpec({
    title: 'Request rate reaching predict vs token-aging probability',
    subtitle: [
      `open loop, offered λ = ${rate.toFixed(1)} req/s (set ${result.rate}), C = ${result.clients} clients, K = ${result.wrappers}; a 401 leaves`,
      'bars: 95 % t intervals',
    ],
    x: { title: 'token-aging probability p_stale (measured 401 fraction)', domain: [0, top] },
    y: { title: 'requests/s reaching predict' },
    lines: [
      {
        series: 'model λ(1 − p_stale)',
        points: [0, top].map((p) => ({ x: p, y: rate * (1 - p) })),
      },
    ],
    points: result.points.map((p) => ({
      series: label[p.mode],
      x: p.stale,
      y: p.predictRate.mean,
      yLow: p.predictRate.low,
      yHigh: p.predictRate.high,
      xLow: p.staleInterval.low,
      xHigh: p.staleInterval.high,
    })),
  });
}

/** The mean rate the generator actually scheduled over a figure's runs (λ as offered). */
export function offeredRate(result: {
  rate: number;
  points: readonly { offeredRate: number }[];
}): number {
  const rates = result.points.map((p) => p.offeredRate).filter((r) => Number.isFinite(r));
  return rates.length === 0 ? result.rate : rates.reduce((sum, r) => sum + r, 0) / rates.length;
}

/** Fig. 6: validator calls/s against the L1 lifetime, log x, one colour per K. */
export function fig6Spec(result: Fig6Result, lines: readonly ModelLine[]): TopLevelSpec {
  const ttls = [
    ...lines.flatMap((l) => l.points.map((p) => p.x)),
    ...result.points.map((p) => p.l1TtlSeconds),
  ];
  return modelAndMeasurementSpec({
    title: 'Token-validation requests from the wrappers vs L1 cache lifetime',
    subtitle: [
      `λ ≈ ${offeredRate(result).toFixed(1)} req/s offered (set ${result.rate}), C = ${result.clients} clients, token TTL ${result.tokenTtl}`,
      'lines: model (steady state); points: measured, 95 % t intervals',
    ],
    x: {
      title: 'L1 cache lifetime d (s, log scale)',
      log: true,
      domain: [Math.min(...ttls), Math.max(...ttls)],
    },
    y: { title: 'validator requests/s (all wrappers)' },
    lines,
    points: result.points.map((p) => ({
      series: `K = ${p.wrappers}`,
      x: p.l1TtlSeconds,
      y: p.validatorRate.mean,
      yLow: p.validatorRate.low,
      yHigh: p.validatorRate.high,
    })),
  });
}

/** The login (new-token) rate against the token lifetime: model ≈ C/T, measured points. */
export function loginRateSpec(chart: {
  clients: number;
  rate: number;
  line: ModelLine;
  points: readonly MeasuredPoint[];
}): TopLevelSpec {
  const xs = [...chart.line.points.map((p) => p.x), ...chart.points.map((p) => p.x)];
  return modelAndMeasurementSpec({
    title: 'Login (new-token) requests vs token lifetime',
    subtitle: [
      `offered λ = ${chart.rate.toFixed(1)} req/s, C = ${chart.clients} clients: λ·p_stale = λC/(C + λT) ≈ C/T`,
      "independent of K; not the validator's load (that is Fig. 6)",
    ],
    x: {
      title: 'token lifetime T (s, log scale)',
      log: true,
      domain: [Math.min(...xs), Math.max(...xs)],
    },
    y: { title: 'logins/s at the issuer' },
    lines: [chart.line],
    points: chart.points,
  });
}

/** `count` values from `low` to `high`, evenly spaced on a log scale. */
export function logSpace(low: number, high: number, count: number): number[] {
  const [a, b] = [Math.log10(low), Math.log10(high)];
  return Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / (count - 1)));
}

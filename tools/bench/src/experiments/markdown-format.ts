// Number and table formats of the experiments report.
import type { Interval } from './interval';

/** A number with `digits` significant digits, without exponent noise for ordinary sizes. */
export function num(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '–' : value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 6));
}

/** `mean ± halfWidth (n)`, the form every measured cell takes. */
export function interval(value: Interval, digits = 3): string {
  if (value.batches === 0) return '–';
  // NaN: a single figure with no interval by its nature (a p99 over the whole window).
  if (Number.isNaN(value.halfWidth)) return num(value.mean, digits);
  if (!Number.isFinite(value.halfWidth)) return `${num(value.mean, digits)} (1 batch)`;
  return `${num(value.mean, digits)} ± ${num(value.halfWidth, 2)}`;
}

export const pct = (value: number) =>
  Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : '–';

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

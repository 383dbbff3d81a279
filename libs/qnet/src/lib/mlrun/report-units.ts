// Numbers as the capacity reports (the CLI's and the console's) show them: few digits, units
// in the column headers.

/** Seconds as milliseconds, about three significant digits; ∞ for an overloaded station. */
export function formatMs(seconds: number): string {
  if (Number.isNaN(seconds)) return '-';
  if (!Number.isFinite(seconds)) return '∞';
  const ms = seconds * 1000;
  if (ms === 0) return '0';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** A rate (or any count) with four significant digits, no exponent below 1e21. */
export function formatRate(value: number): string {
  if (Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return '∞';
  if (Math.abs(value) >= 1000) return value.toFixed(0);
  return String(Number(value.toPrecision(4)));
}

/** A fraction (ρ) as a percentage with one decimal. */
export function formatPercent(fraction: number): string {
  if (Number.isNaN(fraction)) return '-';
  if (!Number.isFinite(fraction)) return '∞';
  return (fraction * 100).toFixed(1);
}

/** A probability with three significant digits (0.000278). */
export function formatProbability(p: number): string {
  return String(Number(p.toPrecision(3)));
}

/** mean ± half-width, both through the same formatter; '-' when nothing was measured. */
export function plusMinus(
  estimate: { mean: number; halfWidth: number },
  format: (value: number) => string,
): string {
  if (Number.isNaN(estimate.mean)) return '-';
  return `${format(estimate.mean)} ± ${format(estimate.halfWidth)}`;
}

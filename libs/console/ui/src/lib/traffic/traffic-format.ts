// How the traffic page shows its figures; null (nothing measured) is a dash, never "NaN".

const NONE = '—';

/** A share or ratio (0–1) as a percentage with one decimal: "90.0%". */
export function formatShare(ratio: number | null): string {
  return ratio === null ? NONE : `${(ratio * 100).toFixed(1)}%`;
}

/** Events per second: one decimal below 100/s, whole numbers above. */
export function formatPerSecond(rate: number | null): string {
  if (rate === null) return NONE;
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(1);
}

/** Seconds as milliseconds with about three significant digits. */
export function formatLatency(seconds: number | null): string {
  if (seconds === null) return NONE;
  const ms = seconds * 1000;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** A wall-clock time of the builder's sample, HH:MM:SS in the browser's zone. */
export function formatClock(epochMs: number): string {
  const at = new Date(epochMs);
  return [at.getHours(), at.getMinutes(), at.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

// Durations as MLRUN_ variables write them: 250ms, 1.5s, 2m, 1h, 7d, or a bare whole number
// meaning seconds (what every lifetime setting took before units, so old values keep their
// meaning). A small strict grammar instead of a general parser: no spaces, no signs, no
// long unit names, and a value must come to a whole number of milliseconds.

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const WHOLE_SECONDS = /^\d+$/;

/** The milliseconds a duration stands for, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (WHOLE_SECONDS.test(value)) return Number(value) * UNIT_MS.s;
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const exact = Number(match[1]) * UNIT_MS[match[2] as Unit];
  // Number(...) * unit can be off by a rounding error (1.005s); a true fraction of a
  // millisecond (1.0005s) is refused rather than silently rounded.
  const ms = Math.round(exact);
  return Math.abs(exact - ms) < 1e-6 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** The shortest exact way to write `ms` (0ms, 250ms, 1.5s, 2m, 30d), for messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const value = ms / UNIT_MS[unit];
    if (Number.isInteger(value)) return `${value}${unit}`;
  }
  return ms >= UNIT_MS.s ? `${ms / UNIT_MS.s}s` : `${ms}ms`;
}

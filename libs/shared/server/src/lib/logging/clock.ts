let lastMs = 0;
let lastIso = '';

/**
 * The current time as an ISO 8601 string (the `time` of every log line), formatted once per
 * millisecond: Date#toISOString costs ~1 µs, a line per request at thousands a second.
 */
export function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

/** One sample of the Prometheus text format: `name{label="value",...} 42`. */
export type Sample = { name: string; labels: Record<string, string>; value: number };

const LINE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?[ \t]+(\S+)/;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The samples of the metrics named in `wanted` (a histogram by its base name: its
 * `_bucket`, `_sum` and `_count` lines), from a /metrics answer. Comments, other metrics
 * and lines that do not parse are skipped: a replica's page is read, not validated.
 */
export function parseSamples(text: string, wanted: readonly string[]): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = LINE.exec(line.trim());
    if (match === null) continue;
    const [, name = '', labelText = '', valueText = ''] = match;
    if (!wanted.some((base) => name === base || isHistogramPart(name, base))) continue;
    const value = parseValue(valueText);
    if (value === undefined) continue;
    samples.push({ name, labels: parseLabels(labelText), value });
  }
  return samples;
}

function isHistogramPart(name: string, base: string): boolean {
  return name === `${base}_bucket` || name === `${base}_sum` || name === `${base}_count`;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, name = '', raw = ''] of text.matchAll(LABEL)) {
    labels[name] = raw.replace(/\\(["\\n])/g, (_all, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

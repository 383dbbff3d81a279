import type { CounterSample } from './types';

/**
 * Parses the Prometheus text exposition format into samples keyed
 * `name{label="value",...}` with labels sorted (or bare `name`), so the same series reads
 * the same whatever order a service writes its labels in. Comments (# HELP, # TYPE) and
 * blank lines are skipped; histogram and summary lines (_bucket, _sum, _count) are
 * samples like any other. Label values may hold spaces, commas, braces and escapes.
 */
export function parsePrometheusText(text: string): CounterSample {
  const samples: CounterSample = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const sample = parseSampleLine(line);
    if (sample) samples[sample.key] = sample.value;
  }
  return samples;
}

function parseSampleLine(line: string): { key: string; value: number } | null {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) return null;
  let rest = line.slice(name.length);
  let labels: [string, string][] = [];
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest);
    if (!parsed) return null;
    labels = parsed.labels;
    rest = rest.slice(parsed.length);
  }
  // The value, then an optional timestamp.
  const valueText = rest.trim().split(/\s+/)[0] ?? '';
  const value = parseValue(valueText);
  if (value === null) return null;
  labels.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = labels.length
    ? `${name}{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`
    : name;
  return { key, value };
}

// From '{' to the matching '}', honouring quoted values with \\, \" and \n escapes.
function parseLabels(text: string): { labels: [string, string][]; length: number } | null {
  const labels: [string, string][] = [];
  let i = 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, length: i + 1 };
    const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i))?.[0];
    if (!labelName) return null;
    i += labelName.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=') return null;
    i++;
    while (text[i] === ' ') i++;
    if (text[i] !== '"') return null;
    i++;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const escaped = text[i + 1];
        value += escaped === 'n' ? '\n' : (escaped ?? '');
        i += 2;
      } else value += text[i++];
    }
    if (text[i] !== '"') return null;
    i++;
    labels.push([labelName, value]);
  }
}

function parseValue(text: string): number | null {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!text) return null;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * Sum of the samples of one metric: `metric` is a bare name (all its label sets; not
 * `name_sum` for `name`), a full key, or a pattern matched against the keys.
 */
export function sumOf(samples: CounterSample, metric: string | RegExp): number {
  let sum = 0;
  for (const [key, value] of Object.entries(samples)) {
    const matches =
      typeof metric === 'string'
        ? key === metric || key.startsWith(`${metric}{`)
        : metric.test(key);
    if (matches) sum += value;
  }
  return sum;
}

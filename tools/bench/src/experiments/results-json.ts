// The raw results as JSON, and back. JSON has no Infinity or NaN (a one-batch interval is
// infinitely wide): they are written as the strings "Infinity", "-Infinity", "NaN".
import type { ExperimentsResults } from './results';

const NON_FINITE = new Set(['Infinity', '-Infinity', 'NaN']);

export function resultsToJson(results: ExperimentsResults): string {
  const replacer = (_key: string, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  return `${JSON.stringify(results, replacer, 2)}\n`;
}

export function resultsFromJson(text: string): ExperimentsResults {
  const reviver = (_key: string, value: unknown) =>
    typeof value === 'string' && NON_FINITE.has(value) ? Number(value) : value;
  return JSON.parse(text, reviver) as ExperimentsResults;
}

import type { ReplicaTraffic, TrafficHistogram } from '@ml-run/registry-contract';

import { parseSamples, type Sample } from './prometheus-text';

// The wrapper's series (model-wrapper prediction.metrics.ts, bearer-auth authorization.metrics.ts).
const PREDICTIONS = 'mlrun_predictions_total';
const LATENCY = 'mlrun_prediction_duration_seconds';
const L1_LOOKUPS = 'mlrun_auth_l1_lookups_total';
const VALIDATOR_CALLS = 'mlrun_auth_validator_calls_total';

/** A replica's counters as the traffic view shows them. */
export type TrafficCounters = Pick<
  ReplicaTraffic,
  'predictions' | 'latency' | 'l1' | 'validatorCalls'
>;

/** All zero: a replica whose /metrics could not be read. */
export const NO_TRAFFIC: TrafficCounters = {
  predictions: [],
  latency: { buckets: [], sum: 0, count: 0 },
  l1: { hits: 0, misses: 0 },
  validatorCalls: [],
};

/** The counters the console needs from a replica's /metrics page. */
export function trafficCounters(metricsText: string): TrafficCounters {
  const samples = parseSamples(metricsText, [PREDICTIONS, LATENCY, L1_LOOKUPS, VALIDATOR_CALLS]);
  const named = (name: string) => samples.filter((s) => s.name === name);
  const l1 = named(L1_LOOKUPS);
  return {
    predictions: summed(named(PREDICTIONS), 'status')
      .map(([status, count]) => ({ status: Number(status), count }))
      .filter((p) => Number.isInteger(p.status))
      .sort((a, b) => a.status - b.status),
    latency: histogram(samples),
    l1: { hits: total(l1, 'result', 'hit'), misses: total(l1, 'result', 'miss') },
    validatorCalls: summed(named(VALIDATOR_CALLS), 'result')
      .map(([outcome, count]) => ({ outcome, count }))
      .sort((a, b) => a.outcome.localeCompare(b.outcome)),
  };
}

// A counter's samples added up by one label (others, like `service`, may vary).
function summed(samples: Sample[], label: string): [string, number][] {
  const sums = new Map<string, number>();
  for (const sample of samples) {
    const key = sample.labels[label];
    if (key !== undefined) sums.set(key, (sums.get(key) ?? 0) + sample.value);
  }
  return [...sums];
}

function total(samples: Sample[], label: string, value: string): number {
  return samples.filter((s) => s.labels[label] === value).reduce((sum, s) => sum + s.value, 0);
}

function histogram(samples: Sample[]): TrafficHistogram {
  const byBound = new Map<number, number>();
  for (const sample of samples) {
    if (sample.name !== `${LATENCY}_bucket`) continue;
    const le = Number(sample.labels['le'] === '+Inf' ? Infinity : sample.labels['le']);
    if (Number.isFinite(le)) byBound.set(le, (byBound.get(le) ?? 0) + sample.value);
  }
  const sumOf = (name: string) =>
    samples.filter((s) => s.name === name).reduce((sum, s) => sum + s.value, 0);
  return {
    buckets: [...byBound].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le),
    sum: sumOf(`${LATENCY}_sum`),
    count: sumOf(`${LATENCY}_count`),
  };
}

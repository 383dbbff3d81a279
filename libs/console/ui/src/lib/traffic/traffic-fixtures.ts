// Test builders: traffic samples as the builder would answer them, from plain observations.
import type { ModelTraffic, ReplicaTraffic, TrafficHistogram } from '@ml-run/registry-contract';

/** The model-wrapper's bucket bounds for mlrun_prediction_duration_seconds. */
export const WRAPPER_BOUNDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** The cumulative histogram of these observations (seconds) over these bounds. */
export function histogramOf(
  values: readonly number[],
  bounds: readonly number[],
): TrafficHistogram {
  return {
    buckets: bounds.map((le) => ({ le, count: values.filter((v) => v <= le).length })),
    sum: values.reduce((total, v) => total + v, 0),
    count: values.length,
  };
}

/** What one replica has served since it started. */
export type Served = {
  /** Count per HTTP status. */
  statuses?: Record<number, number>;
  /** Latency of every prediction (defaults: 5 ms each, as many as the statuses count). */
  latencies?: readonly number[];
  l1?: { hits: number; misses: number };
  validator?: Record<string, number>;
};

export function replica(
  version: string,
  id: string,
  served: Served = {},
  extra: Partial<ReplicaTraffic> = {},
): ReplicaTraffic {
  const statuses = served.statuses ?? {};
  const total = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  const latencies = served.latencies ?? Array.from({ length: total }, () => 0.005);
  return {
    version,
    replica: id,
    state: 'ready',
    scraped: true,
    predictions: Object.entries(statuses).map(([status, count]) => ({
      status: Number(status),
      count,
    })),
    latency: histogramOf(latencies, WRAPPER_BOUNDS),
    l1: served.l1 ?? { hits: 0, misses: 0 },
    validatorCalls: Object.entries(served.validator ?? {}).map(([outcome, count]) => ({
      outcome,
      count,
    })),
    ...extra,
  };
}

/** A replica the builder could not scrape now: its counters come as zero. */
export function unscraped(version: string, id: string): ReplicaTraffic {
  return replica(version, id, {}, { scraped: false });
}

const T0 = Date.parse('2026-12-06T00:00:00.000Z');

/** A sample taken `seconds` after a fixed start. */
export function sampleAt(seconds: number, replicas: ReplicaTraffic[], name = 'iris'): ModelTraffic {
  return { name, sampledAt: new Date(T0 + seconds * 1000).toISOString(), replicas };
}

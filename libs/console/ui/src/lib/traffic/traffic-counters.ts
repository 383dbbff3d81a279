import type { ReplicaTraffic } from '@ml-run/registry-contract';

import { addHistograms, EMPTY_HISTOGRAM, histogramIncrease } from './histogram';

/** A replica's counters: cumulative since it started, or the increase over an interval. */
export type TrafficCounters = Pick<
  ReplicaTraffic,
  'predictions' | 'latency' | 'l1' | 'validatorCalls'
>;

export const ZERO_COUNTERS: TrafficCounters = {
  predictions: [],
  latency: EMPTY_HISTOGRAM,
  l1: { hits: 0, misses: 0 },
  validatorCalls: [],
};

export function countersOf(replica: ReplicaTraffic): TrafficCounters {
  const { predictions, latency, l1, validatorCalls } = replica;
  return { predictions, latency, l1, validatorCalls };
}

/**
 * What a replica served between two scrapes. When any counter fell the replica restarted
 * (all its counters began again from zero), so the later counters are the whole increase;
 * a counter-by-counter rule (Prometheus's increase()) would instead undercount every
 * series that grew back past its old value.
 */
export function countersIncrease(
  earlier: TrafficCounters,
  later: TrafficCounters,
): TrafficCounters {
  const latency = histogramIncrease(earlier.latency, later.latency);
  const predictions = labelledIncrease(earlier.predictions, later.predictions, (p) => p.status);
  const calls = labelledIncrease(earlier.validatorCalls, later.validatorCalls, (c) => c.outcome);
  const hits = later.l1.hits - earlier.l1.hits;
  const misses = later.l1.misses - earlier.l1.misses;
  if (!latency || !predictions || !calls || hits < 0 || misses < 0) return later;
  return { predictions, latency, l1: { hits, misses }, validatorCalls: calls };
}

// undefined when a series fell or vanished (the counters restarted).
function labelledIncrease<T extends { count: number }>(
  earlier: readonly T[],
  later: readonly T[],
  label: (series: T) => string | number,
): T[] | undefined {
  const before = new Map(earlier.map((series) => [label(series), series.count]));
  const increase: T[] = [];
  for (const series of later) {
    const count = series.count - (before.get(label(series)) ?? 0);
    if (count < 0) return undefined;
    before.delete(label(series));
    if (count > 0) increase.push({ ...series, count });
  }
  const vanished = [...before.values()].some((count) => count > 0);
  return vanished ? undefined : increase;
}

/** The counters of several replicas (or intervals) together. */
export function addCounters(a: TrafficCounters, b: TrafficCounters): TrafficCounters {
  return {
    predictions: addLabelled(a.predictions, b.predictions, (p) => p.status),
    latency: addHistograms(a.latency, b.latency),
    l1: { hits: a.l1.hits + b.l1.hits, misses: a.l1.misses + b.l1.misses },
    validatorCalls: addLabelled(a.validatorCalls, b.validatorCalls, (c) => c.outcome),
  };
}

function addLabelled<T extends { count: number }>(
  a: readonly T[],
  b: readonly T[],
  label: (series: T) => string | number,
): T[] {
  const sum = new Map<string | number, T>();
  for (const series of [...a, ...b]) {
    const key = label(series);
    const known = sum.get(key);
    sum.set(key, known ? { ...known, count: known.count + series.count } : series);
  }
  return [...sum.values()];
}

export function sumCounters(all: Iterable<TrafficCounters>): TrafficCounters {
  let total = ZERO_COUNTERS;
  for (const counters of all) total = addCounters(total, counters);
  return total;
}

export function predictionCount(counters: TrafficCounters): number {
  return counters.predictions.reduce((sum, p) => sum + p.count, 0);
}

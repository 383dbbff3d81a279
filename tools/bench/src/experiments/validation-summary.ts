// The validation rows (i16-calibrate's runValidation) as the report shows them: one
// comparison per judged quantity, one line per run with its workload and batches, and
// which predict model (M/M/c or M/D/c) fits the measured mean better.
import type { MeanInterval } from '@ml-run/qnet';

import type { Interval } from './interval';
import type { ValidationComparison } from './results';
import { STATIONS } from './validation-math';
import type { ValidationRow } from './validation-row';

export type ValidationRun = {
  wrappers: number;
  targetUtilization: number;
  measuredUtilization: number;
  rate: number;
  clients: number;
  l1TtlSeconds: number;
  tokenLifetimeSeconds: number;
  /** The model's, from the workload (never fitted). */
  pStale: number;
  pMiss: number;
  batchSeconds: number;
  pilotBatches: number;
  /** n from n ≥ t²S²/δ² over the pilot's batch means. */
  requiredBatches: number;
  usedBatches: number;
  capped: boolean;
  relativePrecision: number;
  /** Per predict model variant: its mean latency (ms) and relative error. */
  variants: { name: string; meanLatencyMs: number; error: number | null }[];
  bestVariant: string;
};

export type ValidationSummary = {
  comparisons: ValidationComparison[];
  runs: ValidationRun[];
};

const ms = (seconds: number) => seconds * 1000;

/** A qnet MeanInterval (seconds or per second) as the report's Interval, scaled. */
export function fromMeanInterval(value: MeanInterval, scale = 1): Interval {
  const mean = value.mean * scale;
  const halfWidth = value.halfWidth * scale;
  return { mean, halfWidth, low: mean - halfWidth, high: mean + halfWidth, batches: value.n };
}

/** A single figure with no interval (a p99 over the whole window). */
const single = (value: number): Interval => ({
  mean: value,
  halfWidth: NaN,
  low: value,
  high: value,
  batches: 1,
});

export function summarizeValidation(rows: readonly ValidationRow[]): ValidationSummary {
  return { comparisons: rows.flatMap(comparisonsOf), runs: rows.map(runOf) };
}

function comparisonsOf(row: ValidationRow): ValidationComparison[] {
  const at = { utilization: row.targetUtilization, wrappers: row.wrappers };
  const rates = STATIONS.map((station): ValidationComparison => ({
    ...at,
    kind: 'rate',
    station,
    unit: 'req/s',
    model: row.analytic.rates[station],
    measured: fromMeanInterval(row.measured.rates[station]),
  }));
  return [
    ...rates,
    {
      ...at,
      kind: 'mean latency',
      station: 'end to end',
      unit: 'ms',
      model: ms(row.analytic.meanLatency),
      simulated: ms(row.simulated.meanLatency.mean),
      measured: fromMeanInterval(row.measured.meanLatency, 1000),
    },
    {
      ...at,
      kind: 'p99 latency',
      station: 'end to end',
      unit: 'ms',
      // No closed form for an end-to-end percentile: the simulator's is the model's.
      model: ms(row.simulated.p99Latency.mean),
      measured: single(ms(row.measured.p99Latency)),
    },
  ];
}

function runOf(row: ValidationRow): ValidationRun {
  const b = row.measured.batches;
  return {
    wrappers: row.wrappers,
    targetUtilization: row.targetUtilization,
    measuredUtilization: row.measured.utilization,
    rate: row.rate,
    clients: row.clients,
    l1TtlSeconds: row.l1TtlSeconds,
    tokenLifetimeSeconds: row.tokenLifetimeSeconds,
    pStale: row.pStale,
    pMiss: row.pMiss,
    batchSeconds: b.batchSeconds,
    pilotBatches: b.pilot,
    requiredBatches: b.required,
    usedBatches: b.used,
    capped: b.capped,
    relativePrecision: b.relativePrecision,
    variants: row.variants.map((v) => ({
      name: v.name,
      meanLatencyMs: ms(v.meanLatency),
      error: v.error,
    })),
    bestVariant: row.bestVariant,
  };
}

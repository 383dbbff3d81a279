import type {
  PredictionOutcome,
  PredictionRecord,
  SettleResult,
} from '@ml-run/prediction-contract';

/** Whether a record is past its `expiresAt` at `nowMs` (a store keeps it no longer). */
export function isExpired(record: PredictionRecord, nowMs: number): boolean {
  return Date.parse(record.expiresAt) <= nowMs;
}

/**
 * What one outcome does to the stored record: settles a live pending one (the first outcome
 * wins), is a redelivery for a settled one, and finds nothing when there is no live record.
 * Pure, so each store runs it inside its own compare-and-set.
 */
export function settlementOf(
  stored: PredictionRecord | undefined,
  outcome: PredictionOutcome,
  nowMs: number,
): SettleResult {
  // An outcome for another model's id would let one model's replicas settle another's record.
  if (stored === undefined || isExpired(stored, nowMs) || stored.model !== outcome.model) {
    return { kind: 'unknown' };
  }
  if (stored.status !== 'pending') return { kind: 'duplicate' };
  const record: PredictionRecord = {
    ...stored,
    status: outcome.status,
    version: outcome.version,
    completedAt: outcome.completedAt,
    ...(outcome.output !== undefined && { output: outcome.output }),
    ...(outcome.error !== undefined && { error: outcome.error }),
  };
  return { kind: 'settled', record };
}

/** A stored record's text read back; undefined for text no store of ours wrote. */
export function parseRecord(text: string): PredictionRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<PredictionRecord> | null;
    return typeof value?.id === 'string' &&
      typeof value.subject === 'string' &&
      typeof value.expiresAt === 'string'
      ? (value as PredictionRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

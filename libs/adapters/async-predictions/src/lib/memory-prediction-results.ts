import type {
  PredictionOutcome,
  PredictionRecord,
  PredictionResults,
  SettleResult,
} from '@ml-run/prediction-contract';

import { isExpired, settlementOf } from './prediction-settlement';

export type MemoryPredictionResultsOptions = {
  /** How often expired records are dropped (reads ignore them anyway); default 60 s. */
  sweepIntervalMs?: number;
  now?: () => number;
};

/**
 * Embedded mode's results store: a Map in this process. Settling is synchronous between
 * reading and writing, so the first outcome for an id wins without a lock.
 */
export class MemoryPredictionResults implements PredictionResults {
  private readonly records = new Map<string, PredictionRecord>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryPredictionResultsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    this.sweeper.unref();
  }

  accept(record: PredictionRecord): Promise<void> {
    // Ids are random UUIDs: an existing one is a bug or an attack, never overwritten.
    const held = this.records.get(record.id);
    if (held !== undefined && !isExpired(held, this.now())) {
      return Promise.reject(new Error(`prediction ${record.id} already exists`));
    }
    this.records.set(record.id, { ...record });
    return Promise.resolve();
  }

  settle(outcome: PredictionOutcome): Promise<SettleResult> {
    const result = settlementOf(this.records.get(outcome.id), outcome, this.now());
    if (result.kind === 'settled') this.records.set(outcome.id, result.record);
    return Promise.resolve(result);
  }

  get(id: string): Promise<PredictionRecord | undefined> {
    const record = this.records.get(id);
    if (record === undefined || isExpired(record, this.now())) return Promise.resolve(undefined);
    return Promise.resolve({ ...record });
  }

  /** Drops every expired record; returns how many. */
  sweep(): number {
    const now = this.now();
    let dropped = 0;
    for (const [id, record] of this.records) {
      if (isExpired(record, now) && this.records.delete(id)) dropped++;
    }
    return dropped;
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    return Promise.resolve();
  }
}

import { Logger } from '@nestjs/common';

import { compareAndSet, type IgniteCache, type IgnitePool } from '@ml-run/ignite';
import type {
  PredictionOutcome,
  PredictionRecord,
  PredictionResults,
  SettleResult,
} from '@ml-run/prediction-contract';

import { isExpired, parseRecord, settlementOf } from './prediction-settlement';

/** The platform Ignite's cache of prediction records (key: the prediction id). */
export const PREDICTIONS_CACHE = 'mlrun-predictions';

export type IgnitePredictionResultsOptions = {
  /** Default `mlrun-predictions`. */
  cacheName?: string;
  /** Prepended to every key (tests write under their own prefix). */
  keyPrefix?: string;
  /** How often this process drops expired records; 0: never. Default 60 s. */
  sweepIntervalMs?: number;
  now?: () => number;
};

/**
 * The results store every router shares in a cluster: one JSON record per id in Ignite.
 * A settle is a compare-and-set (replaceIfEquals on the exact pending text), so two routers
 * settling one id from two redelivered outcomes write once. The thin client cannot set a
 * per-entry expiry: records carry `expiresAt`, reads ignore expired ones, and each router
 * sweeps expired ones away (removeIfEquals, so a record changed meanwhile stays).
 */
export class IgnitePredictionResults implements PredictionResults {
  private readonly logger = new Logger(IgnitePredictionResults.name);
  private readonly cache: IgniteCache;
  private readonly keyPrefix: string;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: IgnitePool,
    options: IgnitePredictionResultsOptions = {},
  ) {
    this.cache = pool.cache(options.cacheName ?? PREDICTIONS_CACHE);
    this.keyPrefix = options.keyPrefix ?? '';
    this.now = options.now ?? Date.now;
    const every = options.sweepIntervalMs ?? 60_000;
    if (every > 0) {
      this.sweeper = setInterval(() => void this.sweepQuietly(), every);
      this.sweeper.unref();
    }
  }

  /** Creates the cache unless the server declared it (plain key-value, no server expiry). */
  async ensureCache(): Promise<void> {
    await this.pool.createCache(this.cache.name);
  }

  async accept(record: PredictionRecord): Promise<void> {
    // Ids are random UUIDs: an existing key is a bug or an attack, never overwritten.
    const written = await this.cache.putIfAbsent(this.key(record.id), JSON.stringify(record));
    if (!written) throw new Error(`prediction ${record.id} already exists`);
  }

  async settle(outcome: PredictionOutcome): Promise<SettleResult> {
    let result: SettleResult = { kind: 'unknown' };
    await compareAndSet<PredictionRecord | undefined>(
      this.cache,
      this.key(outcome.id),
      parseRecord,
      (stored) => {
        result = settlementOf(stored, outcome, this.now());
        return result.kind === 'settled'
          ? { value: result.record, write: true }
          : { value: stored, write: false };
      },
    );
    return result;
  }

  async get(id: string): Promise<PredictionRecord | undefined> {
    const text = await this.cache.get(this.key(id));
    const record = text === undefined ? undefined : parseRecord(text);
    return record === undefined || isExpired(record, this.now()) ? undefined : record;
  }

  /**
   * Removes expired records under this store's prefix; returns how many. A scan reads the
   * whole cache, so it runs off the request path, once per sweep interval.
   */
  async sweep(): Promise<number> {
    const now = this.now();
    let removed = 0;
    for (const [key, text] of await this.cache.scan(this.keyPrefix)) {
      const record = parseRecord(text);
      if (record !== undefined && !isExpired(record, now)) continue;
      if (await this.cache.removeIfEquals(key, text)) removed++;
    }
    return removed;
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    return Promise.resolve();
  }

  private async sweepQuietly(): Promise<void> {
    try {
      const removed = await this.sweep();
      if (removed > 0) this.logger.debug({ removed }, 'expired predictions removed');
    } catch (error) {
      this.logger.warn({ err: error }, 'prediction sweep failed');
    }
  }

  private key(id: string): string {
    return `${this.keyPrefix}${id}`;
  }
}

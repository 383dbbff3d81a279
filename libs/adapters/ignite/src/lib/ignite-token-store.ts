import { Logger } from '@nestjs/common';

import {
  signedRecordText,
  subjectNotBeforeOf,
  subjectRevocationKey,
  subjectRevocationText,
  trustedRecord,
  type TokenRecord,
  type TokenRecordMac,
  type TokenStore,
} from '@ml-run/token-store';

import type { IgniteCache } from './ignite-cache';

/** The server-side cache (tools/services/ignite: CreatedExpiryPolicy, eager TTL). */
export const TOKENS_CACHE = 'mlrun-tokens';

export type IgniteTokenStoreOptions = {
  /**
   * Signs the records this store writes and checks those it reads (MLRUN_TOKEN_MAC_KEY): a
   * record without a valid MAC is treated as absent, whoever wrote it into the cache.
   */
  mac: TokenRecordMac;
  /** Default `mlrun-tokens`. */
  cacheName?: string;
  /** Epoch milliseconds (tests). */
  now?: () => number;
};

/** What the store needs of a cache (an IgniteCache; a Map-backed fake in unit tests). */
export type TokenCache = Pick<IgniteCache, 'get' | 'put' | 'remove' | 'removeIfEquals'>;

/**
 * Token records in Ignite, keyed by token hash, the record as JSON (with `exp`): the
 * issuer's store, read straight through (the issuer reads a token only to revoke it). A
 * process that reads tokens on every request puts `TieredTokenStore` (@ml-run/token-store:
 * memory first, single flight, revocation events) over an `IgniteKeyvStore` of the same
 * cache instead. `get` never returns a record past its `exp`. Ignite drops a record on its
 * own only after the cache's server-side expiry (created + MLRUN_IGNITE_TOKEN_TTL_SECONDS,
 * default 3600 s; the Node client cannot set a per-entry expiry), so that TTL must be at
 * least MLRUN_TOKEN_TTL: a longer-lived token would vanish early.
 */
export class IgniteTokenStore implements TokenStore {
  private readonly logger = new Logger(IgniteTokenStore.name);
  private readonly cache: TokenCache;
  private readonly mac: TokenRecordMac;
  private readonly now: () => number;

  constructor(pool: { cache(name: string): TokenCache }, options: IgniteTokenStoreOptions) {
    this.cache = pool.cache(options.cacheName ?? TOKENS_CACHE);
    this.mac = options.mac;
    this.now = options.now ?? Date.now;
  }

  async put(hash: string, record: TokenRecord): Promise<void> {
    await this.cache.put(hash, signedRecordText(this.mac, hash, record));
  }

  async get(hash: string): Promise<TokenRecord | undefined> {
    const raw = await this.cache.get(hash);
    if (raw === undefined) return undefined;
    const record = trustedRecord(this.mac, hash, raw, this.logger);
    if (!record || record.exp * 1000 <= this.now()) {
      // Only that exact value: a fresh put of the same hash must survive.
      await this.cache.removeIfEquals(hash, raw).catch(() => undefined);
      return undefined;
    }
    return record;
  }

  async delete(hash: string): Promise<boolean> {
    return this.cache.remove(hash);
  }

  async revokeSubject(sub: string, notBeforeMs: number): Promise<void> {
    const key = subjectRevocationKey(sub);
    const current = await this.subjectNotBefore(sub);
    // Removed first: the server's expiry counts from creation, and an update would keep the
    // old entry's clock, dropping the revocation before the newest covered token expires.
    await this.cache.remove(key);
    await this.cache.put(key, subjectRevocationText(Math.max(notBeforeMs, current ?? 0)));
  }

  async subjectNotBefore(sub: string): Promise<number | undefined> {
    const raw = await this.cache.get(subjectRevocationKey(sub));
    return raw === undefined ? undefined : subjectNotBeforeOf(sub, raw, this.now(), this.logger);
  }
}

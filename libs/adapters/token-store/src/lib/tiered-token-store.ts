import { Logger } from '@nestjs/common';
import { createCache, type Cache } from 'cache-manager';
import { Keyv, type KeyvStoreAdapter } from 'keyv';

import type { EventSubscriber } from '@ml-run/event-bus';
import { TOKEN_EVENTS_TOPIC, type TokenEvent } from '@ml-run/token-contract';

import { LruKeyvStore } from './lru-keyv-store';
import {
  signedRecordText,
  subjectNotBeforeOf,
  subjectRevocationKey,
  subjectRevocationText,
  trustedRecord,
} from './signed-token-record';
import type { TokenRecordMac } from './token-record-mac';
import type { TokenRecord, TokenStore } from './token-store.port';

export type TieredTokenStoreOptions = {
  /**
   * Signs the records this store writes and checks those it reads (MLRUN_TOKEN_MAC_KEY): a
   * record without a valid MAC is treated as absent, whoever wrote it, and never enters L1.
   */
  mac: TokenRecordMac;
  /**
   * The memory tier: a record is kept for min(its exp − now, ttlMs), a user's revocation
   * time for ttlMs. Default 10,000 entries, 5 s. Without `revocations`, a token (or a user's
   * tokens) revoked through another process stays valid here for up to ttlMs.
   */
  l1?: { maxEntries?: number; ttlMs?: number };
  /**
   * `token.revoked` and `user.tokens-revoked` events on TOKEN_EVENTS_TOPIC evict from L1; a
   * gap clears L1.
   */
  revocations?: EventSubscriber;
};

type SubjectEntry = { notBefore: number | null };

// What the loader throws for "nothing (believable) there": cache-manager's wrap would keep
// an undefined result in L1 like any other, and a miss must never be cached (a token minted
// a moment ago by another issuer must be found).
const MISS = Symbol('token-miss');

/**
 * Token records in two tiers, read through cache-manager: memory (an LRU behind Keyv),
 * then the shared store, any Keyv storage adapter (an IgniteKeyvStore in a cluster), whose
 * entries are the issuer's signed records as they are (signed-token-record.ts), not Keyv's
 * envelope. The shared tier is the loader of cache-manager's `wrap`, not a second cache
 * store: cache-manager reads a store's failure as a miss (an Ignite outage would answer
 * "no such token" instead of "cannot check now") and writes a loaded value back to every
 * store (the validator would write records into Ignite). Through `wrap`, concurrent misses
 * of one token share one read, and L1 is filled only after the MAC held.
 */
export class TieredTokenStore implements TokenStore {
  private readonly logger = new Logger(TieredTokenStore.name);
  private readonly shared: Keyv<string>;
  private readonly l1: Cache;
  private readonly mac: TokenRecordMac;
  private readonly ttlMs: number;
  private readonly unsubscribe: (() => void) | undefined;
  // Bumped by every eviction: a read that started before one must not stay in L1.
  private evictions = 0;

  constructor(shared: KeyvStoreAdapter, options: TieredTokenStoreOptions) {
    this.mac = options.mac;
    this.ttlMs = options.l1?.ttlMs ?? 5_000;
    this.shared = new Keyv<string>({
      store: shared,
      // The issuer's keys and texts as they are: no namespace, no envelope.
      useKeyPrefix: false,
      serialize: (data) => data.value as string,
      deserialize: <Value>(text: string) => ({ value: text as Value }),
      // An unreachable store must fail the lookup, not look empty.
      throwOnErrors: true,
    });
    const memory = new Keyv({
      store: new LruKeyvStore(options.l1?.maxEntries ?? 10_000),
      useKeyPrefix: false,
    });
    // Objects as they are: a JSON round trip per hit buys nothing in one process.
    memory.serialize = undefined;
    memory.deserialize = undefined;
    this.l1 = createCache({ stores: [memory] });
    this.unsubscribe = options.revocations?.subscribe(
      TOKEN_EVENTS_TOPIC,
      (event: TokenEvent) => {
        if (event.type === 'token.revoked') return this.evict(event.tokenHash);
        if (event.type === 'user.tokens-revoked')
          return this.evict(subjectRevocationKey(event.sub));
      },
      { onGap: () => this.clearL1() },
    );
  }

  async put(hash: string, record: TokenRecord): Promise<void> {
    await this.shared.set(hash, signedRecordText(this.mac, hash, record));
    await this.evict(hash);
  }

  async get(hash: string): Promise<TokenRecord | undefined> {
    const record = await this.readThrough(
      hash,
      () => this.loadRecord(hash),
      (loaded) =>
        // Never L1's default: a record must not outlive its token there (STACK.md).
        Math.min(loaded.exp * 1000 - Date.now(), this.ttlMs),
    );
    // The store drops expired records, but L1's clock and the token's may differ.
    return record && record.exp * 1000 > Date.now() ? record : undefined;
  }

  async delete(hash: string): Promise<boolean> {
    await this.evict(hash);
    const removed = await this.shared.delete(hash);
    await this.evict(hash); // a read that overlapped the removal
    return removed;
  }

  async revokeSubject(sub: string, notBeforeMs: number): Promise<void> {
    const key = subjectRevocationKey(sub);
    const current = await this.loadSubject(sub);
    // Removed first: Ignite's expiry counts from creation, and an update would keep the old
    // entry's clock, dropping the revocation before the newest covered token expires.
    await this.evict(key);
    await this.shared.delete(key);
    await this.shared.set(key, subjectRevocationText(Math.max(notBeforeMs, current ?? 0)));
    await this.evict(key);
  }

  async subjectNotBefore(sub: string): Promise<number | undefined> {
    const entry = await this.readThrough(
      subjectRevocationKey(sub),
      async (): Promise<SubjectEntry> => ({ notBefore: (await this.loadSubject(sub)) ?? null }),
      () => this.ttlMs,
    );
    return entry?.notBefore ?? undefined;
  }

  /** Stops listening for revocations; the shared store stays the caller's to close. */
  close(): void {
    this.unsubscribe?.();
  }

  private async readThrough<T extends object>(
    key: string,
    load: () => Promise<T>,
    ttlMs: (loaded: T) => number,
  ): Promise<T | undefined> {
    const evictions = this.evictions;
    let value: T | undefined;
    try {
      // A ttl of 0 would mean "forever" to Keyv: at least 1 ms.
      value = await this.l1.wrap(key, load, { ttl: (loaded: T) => Math.max(1, ttlMs(loaded)) });
    } catch (error) {
      if (error !== MISS) throw error;
    }
    // An eviction landed while this was read: what the read put in L1 may be revoked.
    if (this.evictions !== evictions) await this.l1.del(key);
    return value;
  }

  private async loadRecord(hash: string): Promise<TokenRecord> {
    const text = await this.shared.get(hash);
    if (text === undefined) throw MISS;
    const record = trustedRecord(this.mac, hash, text, this.logger);
    if (!record || record.exp * 1000 <= Date.now()) throw MISS;
    return record;
  }

  private async loadSubject(sub: string): Promise<number | undefined> {
    const text = await this.shared.get(subjectRevocationKey(sub));
    return text === undefined ? undefined : subjectNotBeforeOf(sub, text, Date.now(), this.logger);
  }

  private async evict(key: string): Promise<void> {
    this.evictions++;
    await this.l1.del(key);
  }

  private clearL1(): void {
    this.evictions++;
    void this.l1.clear();
  }
}

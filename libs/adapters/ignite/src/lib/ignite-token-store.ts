import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import type { EventSubscriber } from '@ml-run/event-bus';
import { TOKEN_EVENTS_TOPIC, tokenLogId, type TokenEvent } from '@ml-run/token-contract';
import {
  readSignedRecord,
  readSubjectRevocation,
  signedRecordText,
  subjectRevocationKey,
  subjectRevocationText,
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
  /**
   * The in-process L1 in front of Ignite: an entry is fresh until min(exp, now + ttlMs).
   * Default 10,000 entries, 5 s; maxEntries 0 turns it off. It holds users' revocation times
   * too. Without `revocations`, a token (or a user's tokens) revoked through another process
   * stays valid here for up to ttlMs.
   */
  l1?: { maxEntries?: number; ttlMs?: number };
  /**
   * `token.revoked` and `user.tokens-revoked` events on TOKEN_EVENTS_TOPIC evict from L1; a
   * gap clears L1.
   */
  revocations?: EventSubscriber;
  /** Epoch milliseconds (tests). */
  now?: () => number;
};

type Cached = { record: TokenRecord; freshUntil: number };
type CachedSubject = { notBefore: number | undefined; freshUntil: number };

// User-wide revocations share the expiring cache with the records they cover: Ignite drops
// one when no token it could cover is still alive.
const subjectKey = subjectRevocationKey;

/** What the store needs of a cache (an IgniteCache; a Map-backed fake in unit tests). */
export type TokenCache = Pick<IgniteCache, 'get' | 'put' | 'remove' | 'removeIfEquals'>;

/**
 * Token records in Ignite, keyed by token hash, the record as JSON (with `exp`). `get`
 * never returns a record past its `exp`. Ignite drops a record on its own only after the
 * cache's server-side expiry (created + MLRUN_IGNITE_TOKEN_TTL_SECONDS, default 3600 s; the
 * Node client cannot set a per-entry expiry), so that TTL must be at least MLRUN_TOKEN_TTL:
 * a longer-lived token would vanish early. Misses are never cached: a token minted a moment
 * ago by another issuer must be found.
 */
export class IgniteTokenStore implements TokenStore {
  private readonly logger = new Logger(IgniteTokenStore.name);
  private readonly cache: TokenCache;
  private readonly mac: TokenRecordMac;
  private readonly l1: LRUCache<string, Cached> | undefined;
  // Every introspection asks for its subject's revocation too: held as briefly as records.
  private readonly subjects: LRUCache<string, CachedSubject> | undefined;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly loading = new Map<string, Promise<TokenRecord | undefined>>();
  private readonly unsubscribe: (() => void) | undefined;
  // Bumped by every eviction: a read that started before one must not fill L1.
  private evictions = 0;

  constructor(pool: { cache(name: string): TokenCache }, options: IgniteTokenStoreOptions) {
    this.cache = pool.cache(options.cacheName ?? TOKENS_CACHE);
    this.mac = options.mac;
    const maxEntries = options.l1?.maxEntries ?? 10_000;
    this.l1 = maxEntries > 0 ? new LRUCache({ max: maxEntries }) : undefined;
    this.subjects = maxEntries > 0 ? new LRUCache({ max: maxEntries }) : undefined;
    this.ttlMs = options.l1?.ttlMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.unsubscribe = options.revocations?.subscribe(
      TOKEN_EVENTS_TOPIC,
      (event: TokenEvent) => {
        if (event.type === 'token.revoked') this.evict(event.tokenHash);
        else if (event.type === 'user.tokens-revoked') this.evictSubject(event.sub);
      },
      { onGap: () => this.clearL1() },
    );
  }

  async put(hash: string, record: TokenRecord): Promise<void> {
    await this.cache.put(hash, signedRecordText(this.mac, hash, record));
    this.evict(hash);
  }

  async get(hash: string): Promise<TokenRecord | undefined> {
    const now = this.now();
    const cached = this.l1?.get(hash);
    if (cached && now < cached.freshUntil && now < cached.record.exp * 1000) return cached.record;
    if (cached) this.l1?.delete(hash);
    // Concurrent misses of one token share one read.
    let loading = this.loading.get(hash);
    if (!loading) {
      loading = this.load(hash).finally(() => {
        if (this.loading.get(hash) === loading) this.loading.delete(hash);
      });
      this.loading.set(hash, loading);
    }
    return loading;
  }

  async delete(hash: string): Promise<boolean> {
    this.evict(hash);
    const removed = await this.cache.remove(hash);
    this.evict(hash); // a read that overlapped the removal
    return removed;
  }

  async revokeSubject(sub: string, notBeforeMs: number): Promise<void> {
    const key = subjectKey(sub);
    const current = await this.readSubject(sub);
    // Removed first: the server's expiry counts from creation, and an update would keep the
    // old entry's clock, dropping the revocation before the newest covered token expires.
    this.evictSubject(sub);
    await this.cache.remove(key);
    await this.cache.put(key, subjectRevocationText(Math.max(notBeforeMs, current ?? 0)));
    this.evictSubject(sub);
  }

  async subjectNotBefore(sub: string): Promise<number | undefined> {
    const now = this.now();
    const cached = this.subjects?.get(sub);
    if (cached && now < cached.freshUntil) return cached.notBefore;
    const evictions = this.evictions;
    const notBefore = await this.readSubject(sub);
    if (this.evictions === evictions) {
      this.subjects?.set(sub, { notBefore, freshUntil: now + this.ttlMs });
    }
    return notBefore;
  }

  private async readSubject(sub: string): Promise<number | undefined> {
    const raw = await this.cache.get(subjectKey(sub));
    if (raw === undefined) return undefined;
    const notBefore = readSubjectRevocation(raw);
    if (notBefore !== undefined) return notBefore;
    // Fail closed: an unreadable revocation revokes everything the user held so far.
    this.logger.warn({ sub }, 'unreadable user-wide revocation; treated as revoking all');
    return this.now();
  }

  /** Records in L1 (tests). */
  get l1Size(): number {
    return this.l1?.size ?? 0;
  }

  /** Stops listening for revocations; the pool stays the caller's to close. */
  close(): void {
    this.unsubscribe?.();
  }

  private async load(hash: string): Promise<TokenRecord | undefined> {
    const evictions = this.evictions;
    const raw = await this.cache.get(hash);
    if (raw === undefined) return undefined;
    const record = this.parse(hash, raw);
    const now = this.now();
    if (!record || record.exp * 1000 <= now) {
      // Only that exact value: a fresh put of the same hash must survive.
      await this.cache.removeIfEquals(hash, raw).catch(() => undefined);
      return undefined;
    }
    if (this.evictions === evictions) {
      this.l1?.set(hash, { record, freshUntil: Math.min(record.exp * 1000, now + this.ttlMs) });
    }
    return record;
  }

  private parse(hash: string, raw: string): TokenRecord | undefined {
    const read = readSignedRecord(this.mac, hash, raw);
    if (read.problem === 'unreadable') {
      this.logger.warn({ token: tokenLogId(hash) }, 'unreadable token record; treated as absent');
    } else if (read.problem === 'unsigned') {
      // Written by someone without the key (or under another key): not a token of ours.
      this.logger.warn(
        { token: tokenLogId(hash), sub: read.sub },
        'token record without a valid mac; treated as absent',
      );
    }
    return read.record;
  }

  private evict(hash: string): void {
    this.evictions++;
    this.l1?.delete(hash);
    this.loading.delete(hash);
  }

  private evictSubject(sub: string): void {
    this.evictions++;
    this.subjects?.delete(sub);
  }

  private clearL1(): void {
    this.evictions++;
    this.l1?.clear();
    this.subjects?.clear();
    this.loading.clear();
  }
}

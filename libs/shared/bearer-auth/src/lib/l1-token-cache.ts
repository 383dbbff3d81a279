import { LRUCache } from 'lru-cache';

/** A validator answer as the wrapper keeps it; times in epoch milliseconds. */
export type CachedAnswer =
  | {
      active: true;
      sub: string;
      scopes: readonly string[];
      /** The user's groups, as the validator said (none from an older one). */
      groups: readonly string[];
      expiresAt: number;
      freshUntil: number;
      /** When the token was issued, as the validator said (to the second). */
      issuedAt?: number;
    }
  | { active: false; freshUntil: number; revoked?: true };

export type CacheLookup =
  | { state: 'fresh'; answer: CachedAnswer }
  | { state: 'stale'; answer: CachedAnswer }
  | { state: 'miss' };

export type L1Settings = { maxEntries: number; ttlMs: number; negativeTtlMs: number };

/**
 * The wrapper's L1 token cache, keyed by token hash. Positive answers are fresh until
 * min(exp, now + L1 TTL); stale ones stay (LRU-bounded) so a wrapper can keep serving a
 * known, unexpired token while the validator is down. Unknown tokens are remembered apart,
 * in a smaller LRU of their own: a flood of random tokens evicts only other random tokens,
 * never a caller's good entry.
 */
export class L1TokenCache {
  private readonly entries: LRUCache<string, CachedAnswer> | undefined;
  private readonly unknown: LRUCache<string, CachedAnswer> | undefined;

  constructor(private readonly settings: L1Settings) {
    // maxEntries 0 turns the cache off: every request asks the validator (benchmarks).
    const max = settings.maxEntries;
    this.entries = max > 0 ? new LRUCache({ max }) : undefined;
    this.unknown = max > 0 ? new LRUCache({ max: Math.max(1, Math.ceil(max / 4)) }) : undefined;
  }

  lookup(hash: string, now: number): CacheLookup {
    const answer = this.entries?.get(hash) ?? this.unknown?.get(hash);
    if (!answer) return { state: 'miss' };
    return { state: now < answer.freshUntil ? 'fresh' : 'stale', answer };
  }

  rememberActive(
    hash: string,
    sub: string,
    scopes: readonly string[],
    expiresAt: number,
    now: number,
    issuedAt?: number,
    groups: readonly string[] = [],
  ): CachedAnswer {
    // An introspection that started before a revocation must not bring the token back.
    const current = this.entries?.get(hash);
    if (current && !current.active && current.revoked && now < current.freshUntil) return current;
    const answer: CachedAnswer = {
      active: true,
      sub,
      scopes,
      groups,
      expiresAt,
      freshUntil: Math.min(expiresAt, now + this.settings.ttlMs),
      ...(issuedAt === undefined ? {} : { issuedAt }),
    };
    this.unknown?.delete(hash);
    this.entries?.set(hash, answer);
    return answer;
  }

  rememberInactive(hash: string, now: number): CachedAnswer {
    const answer: CachedAnswer = { active: false, freshUntil: now + this.settings.negativeTtlMs };
    // A token this cache knew (active, or revoked) keeps its place; it is simply no more.
    if (this.entries?.has(hash)) this.entries.set(hash, answer);
    else this.unknown?.set(hash, answer);
    return answer;
  }

  /** Marks a token revoked for one L1 TTL; returns whether it was cached as active. */
  revoke(hash: string, now: number): boolean {
    const wasActive = this.entries?.get(hash)?.active === true;
    this.entries?.set(hash, {
      active: false,
      revoked: true,
      freshUntil: now + this.settings.ttlMs,
    });
    return wasActive;
  }

  /**
   * Marks the cached tokens of `sub` issued up to `notBefore` revoked for one L1 TTL (one
   * issued in that same second too: iat has no finer grain); returns how many were active.
   */
  revokeSubject(sub: string, notBefore: number, now: number): number {
    let active = 0;
    for (const [hash, answer] of this.entries?.entries() ?? []) {
      if (!answer.active || answer.sub !== sub) continue;
      if (answer.issuedAt !== undefined && answer.issuedAt > notBefore) continue;
      active++;
      this.revoke(hash, now);
    }
    return active;
  }

  clear(): void {
    this.entries?.clear();
    this.unknown?.clear();
  }

  get size(): number {
    return (this.entries?.size ?? 0) + (this.unknown?.size ?? 0);
  }
}

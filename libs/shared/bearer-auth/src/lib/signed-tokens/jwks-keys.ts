import { createPublicKey, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import { TOKEN_SIGNING_ALGORITHM, type TokenJwks } from '@ml-run/token-contract';

export type JwksKeysSettings = {
  /** Reads the issuer's JWKS (GET /v1/auth/jwks). */
  fetch: () => Promise<TokenJwks>;
  /** A kid nobody knows refreshes at most this often: random kids cost no flood of fetches. */
  minRefreshIntervalMs: number;
  /** Known keys are read again this often (in the background), so dropped keys go. */
  maxAgeMs: number;
  now?: () => number;
};

type Keys = Map<string, KeyObject>;

// The one entry of the cache below: the JWKS as keys by kid.
const JWKS = 'jwks';

/**
 * The issuer's verification keys by kid, from its JWKS: fetched once, read again when a
 * token names an unknown kid (a rotation's next key; at most once per minRefreshIntervalMs)
 * and when older than maxAgeMs. Lookups are synchronous: the hot path awaits nothing.
 * The key set lives in an lru-cache whose fetch() gives the single flight (every waiter
 * shares one read of the JWKS), serves the held keys while a read runs, and keeps them when
 * a read fails. When to read again is decided here (counted from the attempt), not by a TTL.
 */
export class JwksKeys {
  private readonly logger = new Logger(JwksKeys.name);
  private readonly cache = new LRUCache<typeof JWKS, Keys>({
    max: 1,
    fetchMethod: () => this.load(),
    // The held keys answer lookups while a read runs...
    allowStale: true,
    // ...and stay after a read that failed; its waiters see the failure.
    noDeleteOnFetchRejection: true,
  });
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly settings: JwksKeysSettings) {
    this.now = settings.now ?? Date.now;
  }

  /** The key of `kid`, or undefined; schedules a background refresh when the set is old. */
  key(kid: string): KeyObject | undefined {
    if (this.now() - this.fetchedAt >= this.settings.maxAgeMs) {
      // The keys held so far keep serving; the next due lookup tries again.
      this.refresh(true).catch((error: Error) =>
        this.logger.warn({ reason: error.message }, 'token verification keys not refreshed'),
      );
    }
    return this.cache.get(JWKS)?.get(kid);
  }

  /**
   * The key of a kid not known yet, after reading the JWKS again if allowed now (or joining
   * a read already running); undefined when the issuer does not publish it. Rejects when the
   * JWKS cannot be read.
   */
  async unknownKey(kid: string): Promise<KeyObject | undefined> {
    const due = this.now() - this.fetchedAt >= this.settings.minRefreshIntervalMs;
    // Not due and nothing held nor being read: a read failed moments ago; not again yet.
    if (!due && this.cache.size === 0) return undefined;
    return (await this.refresh(due))?.get(kid);
  }

  // forceRefresh starts a read unless one runs (then it is joined); without it, the held
  // keys answer. allowStale off: a waiter gets the read's outcome, not the keys it replaces.
  private refresh(force: boolean): Promise<Keys | undefined> {
    return this.cache.fetch(JWKS, { forceRefresh: force, allowStale: false });
  }

  private async load(): Promise<Keys> {
    // Counted from the attempt: a JWKS that cannot be read is not asked again at once.
    this.fetchedAt = this.now();
    const jwks = await this.settings.fetch();
    const keys: Keys = new Map();
    for (const jwk of Array.isArray(jwks?.keys) ? jwks.keys : []) {
      // Only what this platform signs with: an RSA or HMAC "key" never gets a chance.
      if (jwk?.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.kid !== 'string') continue;
      if (jwk.alg !== undefined && jwk.alg !== TOKEN_SIGNING_ALGORITHM) continue;
      try {
        keys.set(
          jwk.kid,
          createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' }),
        );
      } catch {
        this.logger.warn({ kid: jwk.kid }, 'unreadable key in the JWKS skipped');
      }
    }
    this.logger.log({ kids: [...keys.keys()] }, 'token verification keys loaded');
    return keys;
  }
}

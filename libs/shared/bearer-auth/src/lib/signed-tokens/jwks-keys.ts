import { createPublicKey, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';

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

/**
 * The issuer's verification keys by kid, from its JWKS: fetched once, read again when a
 * token names an unknown kid (a rotation's next key; at most once per minRefreshIntervalMs)
 * and when older than maxAgeMs. Lookups are synchronous: the hot path awaits nothing.
 */
export class JwksKeys {
  private readonly logger = new Logger(JwksKeys.name);
  private keys = new Map<string, KeyObject>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly settings: JwksKeysSettings) {
    this.now = settings.now ?? Date.now;
  }

  /** The key of `kid`, or undefined; schedules a background refresh when the set is old. */
  key(kid: string): KeyObject | undefined {
    if (this.now() - this.fetchedAt >= this.settings.maxAgeMs) {
      // The keys held so far keep serving; the next due lookup tries again.
      this.refresh().catch((error: Error) =>
        this.logger.warn({ reason: error.message }, 'token verification keys not refreshed'),
      );
    }
    return this.keys.get(kid);
  }

  /**
   * The key of a kid not known yet, after reading the JWKS again if allowed now; undefined
   * when the issuer does not publish it. Rejects when the JWKS cannot be read.
   */
  async unknownKey(kid: string): Promise<KeyObject | undefined> {
    const due = this.now() - this.fetchedAt >= this.settings.minRefreshIntervalMs;
    if (due || this.refreshing) await this.refresh();
    return this.keys.get(kid);
  }

  // One fetch at a time; every waiter shares it.
  private refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    // Counted from the attempt: a JWKS that cannot be read is not asked again at once.
    this.fetchedAt = this.now();
    const jwks = await this.settings.fetch();
    const keys = new Map<string, KeyObject>();
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
    this.keys = keys;
    this.logger.log({ kids: [...keys.keys()] }, 'token verification keys loaded');
  }
}

import { JwtService } from '@nestjs/jwt';

import {
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_SIGNING_ALGORITHM,
  type TokenClaims,
} from '@ml-run/token-contract';

import type { JwksKeys } from './jwks-keys';

/** What a signed token proved: its claims, or why it proves nothing. */
export type Verified =
  | { kind: 'valid'; claims: TokenClaims }
  | { kind: 'invalid' }
  | { kind: 'expired' }
  | { kind: 'unknown-kid'; kid: string }
  /** Issued before this wrapper knew every revocation: ask the validator once. */
  | { kind: 'unvouched' };

// The longest token lifetime the issuer allows (MLRUN_TOKEN_TTL max, 30 days): a user-wide
// revocation older than that can hold no live token, and is forgotten.
const LONGEST_LIFETIME_MS = 2_592_000_000;

/**
 * Checks a signed token where it is used (docs/architecture.md §3.14): ES256 signature by a
 * key of the issuer's JWKS, `aud`, `iss`, `exp` to the millisecond, then the revocations
 * pushed to this wrapper (a jti denylist kept until each token's exp, and user-wide
 * revocations). Synchronous: a token's first request on a replica costs no network call.
 */
export class SignedTokenVerifier {
  private readonly jwt = new JwtService();
  private readonly denied = new Map<string, number>();
  private readonly subjectsNotBefore = new Map<string, number>();
  /** From when every revocation reached this wrapper (its feed's start, or its last gap). */
  private vouchedSince: number;

  constructor(
    readonly keys: JwksKeys,
    private readonly now: () => number = Date.now,
  ) {
    this.vouchedSince = now();
  }

  verify(token: string): Verified {
    const kid = kidOf(token);
    if (kid === undefined) return { kind: 'invalid' };
    const key = this.keys.key(kid);
    if (key === undefined) return { kind: 'unknown-kid', kid };
    const now = this.now();
    let claims: TokenClaims;
    try {
      claims = this.jwt.verify<TokenClaims>(token, {
        publicKey: key as unknown as string,
        // Pinned: `none`, and HS256 keyed with the public key, are refused here.
        algorithms: [TOKEN_SIGNING_ALGORITHM],
        audience: TOKEN_AUDIENCE,
        issuer: TOKEN_ISSUER,
        // jsonwebtoken floors its clock to the second; ours has the milliseconds exp has.
        clockTimestamp: now / 1000,
      });
    } catch (error) {
      return { kind: (error as Error).name === 'TokenExpiredError' ? 'expired' : 'invalid' };
    }
    if (!isClaims(claims)) return { kind: 'invalid' };
    if (this.revoked(claims, now)) return { kind: 'invalid' };
    if (claims.iat * 1000 < this.vouchedSince) return { kind: 'unvouched' };
    return { kind: 'valid', claims };
  }

  /** A revoked token's jti, refused until `expiresAtMs` (unreadable: the longest lifetime). */
  deny(jti: string, expiresAtMs: number): void {
    this.prune();
    const until = Number.isFinite(expiresAtMs) ? expiresAtMs : this.now() + LONGEST_LIFETIME_MS;
    this.denied.set(jti, until);
  }

  /** Every token of `sub` issued at or before `notBeforeMs` is refused from now on. */
  revokeSubject(sub: string, notBeforeMs: number): void {
    this.prune();
    this.subjectsNotBefore.set(sub, Math.max(notBeforeMs, this.subjectsNotBefore.get(sub) ?? 0));
  }

  /**
   * Revocations may have been missed until now: tokens issued before this instant are
   * vouched for by the validator (once each, then cached in L1), later ones here.
   */
  gap(): void {
    this.vouchedSince = this.now();
  }

  private revoked(claims: TokenClaims, now: number): boolean {
    const deniedUntil = this.denied.get(claims.jti);
    if (deniedUntil !== undefined && now < deniedUntil) return true;
    const notBefore = this.subjectsNotBefore.get(claims.sub);
    return notBefore !== undefined && claims.iat * 1000 <= notBefore;
  }

  private prune(): void {
    const now = this.now();
    for (const [jti, until] of this.denied) if (until <= now) this.denied.delete(jti);
    for (const [sub, notBefore] of this.subjectsNotBefore) {
      if (notBefore + LONGEST_LIFETIME_MS <= now) this.subjectsNotBefore.delete(sub);
    }
  }
}

function kidOf(token: string): string | undefined {
  try {
    const header = JSON.parse(
      Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString(),
    );
    return typeof header?.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

function isClaims(claims: Partial<TokenClaims>): claims is TokenClaims {
  return (
    typeof claims.sub === 'string' &&
    typeof claims.scope === 'string' &&
    typeof claims.jti === 'string' &&
    typeof claims.iat === 'number' &&
    typeof claims.exp === 'number' &&
    (claims.groups === undefined ||
      (Array.isArray(claims.groups) && claims.groups.every((g) => typeof g === 'string')))
  );
}

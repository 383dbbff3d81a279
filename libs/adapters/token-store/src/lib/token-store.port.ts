import { TOKEN_AUDIENCE } from '@ml-run/token-contract';

/**
 * What the issuer records for a token; times are seconds since the epoch (RFC 7662). `exp`
 * has up to 3 decimals (sub-second lifetimes, RFC 7519 allows a fraction): compare it in
 * milliseconds, `exp * 1000 <= nowMs`, never after flooring.
 */
export type TokenRecord = {
  sub: string;
  scope: readonly string[];
  /** The user's groups at login (model owners are users or groups); absent in older records: none. */
  groups?: readonly string[];
  iat: number;
  exp: number;
  /** `iat` in milliseconds, so a login right after a user-wide revoke is not caught by it. */
  iatMs?: number;
  /** Who the token is for: TOKEN_AUDIENCE; a record without it is refused. */
  aud?: string;
};

/** When a record was issued, in epoch milliseconds. */
export const issuedAtMs = (record: TokenRecord): number => record.iatMs ?? record.iat * 1000;

/**
 * Token records keyed by the token's SHA-256 (never the token). Records expire with their
 * token: `get` never returns one past its `exp`. Memory in embedded mode, Ignite in cluster.
 */
export interface TokenStore {
  put(hash: string, record: TokenRecord): Promise<void>;
  /** The live record, or undefined when unknown, expired or revoked. */
  get(hash: string): Promise<TokenRecord | undefined>;
  /** Removes a record (revocation); true when one was there. */
  delete(hash: string): Promise<boolean>;
  /**
   * Revokes every token of `sub` issued at or before `notBeforeMs` (epoch ms): kept at least
   * as long as such a token could live.
   */
  revokeSubject(sub: string, notBeforeMs: number): Promise<void>;
  /** The latest user-wide revocation of `sub`, epoch ms; undefined when none is in force. */
  subjectNotBefore(sub: string): Promise<number | undefined>;
}

export const TOKEN_STORE = Symbol('TOKEN_STORE');

/**
 * The record of a token that is still good: known, not past `exp`, for ML-RUN, and not
 * issued before a user-wide revocation of its subject. What validators and the issuer both check.
 */
export async function findLiveRecord(
  store: TokenStore,
  hash: string,
  nowMs = Date.now(),
): Promise<TokenRecord | undefined> {
  const record = await store.get(hash);
  // The store drops expired records, but its clock and ours may differ: check again here.
  if (record === undefined || record.exp * 1000 <= nowMs) return undefined;
  if (record.aud !== TOKEN_AUDIENCE) return undefined;
  const notBefore = await store.subjectNotBefore(record.sub);
  return notBefore !== undefined && issuedAtMs(record) <= notBefore ? undefined : record;
}

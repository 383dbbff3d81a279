/** What the issuer records for a token; times are seconds since the epoch (RFC 7662). */
export type TokenRecord = {
  sub: string;
  scope: readonly string[];
  iat: number;
  exp: number;
};

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
}

export const TOKEN_STORE = Symbol('TOKEN_STORE');

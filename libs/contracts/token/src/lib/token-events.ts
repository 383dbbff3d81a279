/** Topic of token events (Kafka topic name in cluster mode). */
export const TOKEN_EVENTS_TOPIC = 'ml-run.tokens';

/**
 * Published when a token is revoked; every wrapper evicts it from its L1 cache.
 * @example { type: 'token.revoked', tokenHash: '9b2e...', sub: 'ada', revokedAt: '2026-11-28T10:00:00.000Z' }
 */
export type TokenRevokedEvent = {
  type: 'token.revoked';
  /** SHA-256 of the token, hex: the token itself never travels. */
  tokenHash: string;
  sub: string;
  revokedAt: string;
  /**
   * A signed token's `jti` and `exp` (ISO, ms): wrappers that verify tokens themselves
   * denylist the jti until then. Absent for opaque tokens.
   */
  jti?: string;
  expiresAt?: string;
};

/**
 * Published when every token of a user issued up to `notBefore` is revoked at once (an
 * admin's revoke, the user removed, their password or groups changed); every wrapper
 * drops that user's cached tokens.
 * @example { type: 'user.tokens-revoked', sub: 'bob', notBefore: '2026-11-28T10:00:00.000Z' }
 */
export type UserTokensRevokedEvent = {
  type: 'user.tokens-revoked';
  sub: string;
  /** Tokens of `sub` issued at or before this instant are dead. */
  notBefore: string;
};

/** Every event on TOKEN_EVENTS_TOPIC. */
export type TokenEvent = TokenRevokedEvent | UserTokensRevokedEvent;

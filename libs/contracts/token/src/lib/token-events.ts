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
};

/** Every event on TOKEN_EVENTS_TOPIC. */
export type TokenEvent = TokenRevokedEvent;

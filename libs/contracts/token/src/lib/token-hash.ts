import { hash } from 'node:crypto';

/**
 * The only form in which a token is stored, cached, logged or published: its SHA-256, hex.
 * @example tokenHash('mlr_4f0c...') // '9b2e...' (64 hex chars)
 */
export function tokenHash(token: string): string {
  // One-shot hash: about half the cost of createHash().update().digest() on the hot path.
  return hash('sha256', token, 'hex');
}

/**
 * How a token appears in logs: the first 12 hex of its hash, enough to correlate lines.
 * @example tokenLogId('mlr_4f0c...') // '9b2e41c07d1a'
 */
export function tokenLogId(hash: string): string {
  return hash.slice(0, 12);
}

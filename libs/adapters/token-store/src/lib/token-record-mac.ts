import { createHmac, timingSafeEqual } from 'node:crypto';

import type { TokenRecord } from './token-store.port';

/** Shortest MLRUN_TOKEN_MAC_KEY accepted: 32 characters. */
export const TOKEN_MAC_KEY_MIN_LENGTH = 32;

// Versioned, so a later record layout can never be read as this one.
const DOMAIN = 'ml-run.token-record.v1';

/**
 * HMAC-SHA256 of a token record, keyed by a secret only the issuer and the validators hold.
 * A record in a shared store (Ignite) is believed only with a valid MAC: whoever can write
 * the store but lacks the key cannot mint a token, nor raise one's scope or lifetime. The
 * token's hash (the record's key) is covered too, so a record cannot be moved to another
 * token.
 */
export class TokenRecordMac {
  private readonly key: Buffer;

  constructor(key: string) {
    if (key.length < TOKEN_MAC_KEY_MIN_LENGTH) {
      throw new Error(`a token MAC key needs at least ${TOKEN_MAC_KEY_MIN_LENGTH} characters`);
    }
    this.key = Buffer.from(key, 'utf8');
  }

  /** The MAC of `record` stored under `hash`, as lower-case hex. */
  sign(hash: string, record: TokenRecord): string {
    return createHmac('sha256', this.key).update(canonical(hash, record), 'utf8').digest('hex');
  }

  /** True when `mac` is the MAC of `record` under `hash`; constant time in the MAC. */
  verify(hash: string, record: TokenRecord, mac: unknown): boolean {
    if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false;
    return timingSafeEqual(Buffer.from(this.sign(hash, record), 'hex'), Buffer.from(mac, 'hex'));
  }
}

// Every field in a fixed order, absent ones as null: one record has exactly one encoding.
// exp may have up to 3 decimals (sub-second lifetimes): JSON.stringify writes a number's
// shortest round-trip decimal, so the same exp read back from JSON encodes the same.
function canonical(hash: string, record: TokenRecord): string {
  return JSON.stringify([
    DOMAIN,
    hash,
    record.sub,
    record.scope,
    record.groups ?? null,
    record.iat,
    record.exp,
    record.iatMs ?? null,
    record.aud ?? null,
  ]);
}

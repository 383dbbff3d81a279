import type { Logger } from '@nestjs/common';

import { tokenLogId } from '@ml-run/token-contract';

import type { TokenRecordMac } from './token-record-mac';
import type { TokenRecord } from './token-store.port';

/**
 * How token records sit in a shared store (Ignite), written by the issuer and read by every
 * validator: the record as JSON with its `mac` beside the fields, under the token's hash.
 * User-wide revocations share that store, under `subject:<sub>` (token hashes are hex, so no
 * key clashes), as `{"notBefore": <epoch ms>}`.
 */
export const subjectRevocationKey = (sub: string): string => `subject:${sub}`;

/** The stored text of `record` under `hash`, signed. */
export function signedRecordText(mac: TokenRecordMac, hash: string, record: TokenRecord): string {
  const fields = recordFields(record);
  return JSON.stringify({ ...fields, mac: mac.sign(hash, fields) });
}

export type ReadRecord =
  | { record: TokenRecord; problem?: undefined }
  /** Not a record. */
  | { record?: undefined; problem: 'unreadable' }
  /** No valid MAC (written without the key); `sub` is what it claims, for the log. */
  | { record?: undefined; problem: 'unsigned'; sub: string };

/** The record stored as `text` under `hash`, believed only with a valid MAC. */
export function readSignedRecord(mac: TokenRecordMac, hash: string, text: string): ReadRecord {
  let parsed: (TokenRecord & { mac?: unknown }) | undefined;
  try {
    parsed = JSON.parse(text) as TokenRecord & { mac?: unknown };
  } catch {
    return { problem: 'unreadable' };
  }
  if (!parsed || typeof parsed.exp !== 'number' || !Array.isArray(parsed.scope)) {
    return { problem: 'unreadable' };
  }
  // Only the signed fields go on: nothing added beside them is believed either.
  const record = recordFields(parsed);
  if (mac.verify(hash, record, parsed.mac)) return { record };
  return { problem: 'unsigned', sub: record.sub };
}

/**
 * The record stored as `text` under `hash` when its MAC holds, else undefined with a warning
 * naming the token (never the record): what a store's read returns.
 */
export function trustedRecord(
  mac: TokenRecordMac,
  hash: string,
  text: string,
  logger: Pick<Logger, 'warn'>,
): TokenRecord | undefined {
  const read = readSignedRecord(mac, hash, text);
  if (read.problem === 'unreadable') {
    logger.warn({ token: tokenLogId(hash) }, 'unreadable token record; treated as absent');
  } else if (read.problem === 'unsigned') {
    // Written by someone without the key (or under another key): not a token of ours.
    logger.warn(
      { token: tokenLogId(hash), sub: read.sub },
      'token record without a valid mac; treated as absent',
    );
  }
  return read.record;
}

export const subjectRevocationText = (notBeforeMs: number): string =>
  JSON.stringify({ notBefore: notBeforeMs });

/** The revocation's time in epoch ms; undefined when the text is not one (fail closed then). */
export function readSubjectRevocation(text: string): number | undefined {
  try {
    const { notBefore } = JSON.parse(text) as { notBefore?: unknown };
    return typeof notBefore === 'number' ? notBefore : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The time of `sub`'s user-wide revocation stored as `text`. Fails closed: an unreadable one
 * (logged) revokes every token the user holds up to `nowMs`.
 */
export function subjectNotBeforeOf(
  sub: string,
  text: string,
  nowMs: number,
  logger: Pick<Logger, 'warn'>,
): number {
  const notBefore = readSubjectRevocation(text);
  if (notBefore !== undefined) return notBefore;
  logger.warn({ sub }, 'unreadable user-wide revocation; treated as revoking all');
  return nowMs;
}

// The fields a record is signed over, copied (and in one order).
function recordFields(record: TokenRecord): TokenRecord {
  return {
    sub: record.sub,
    scope: [...record.scope],
    ...(record.groups === undefined ? {} : { groups: [...record.groups] }),
    iat: record.iat,
    exp: record.exp,
    ...(record.iatMs === undefined ? {} : { iatMs: record.iatMs }),
    ...(record.aud === undefined ? {} : { aud: record.aud }),
  };
}

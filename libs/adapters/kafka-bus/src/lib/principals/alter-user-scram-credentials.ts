import { pbkdf2Sync, randomBytes } from 'node:crypto';

// AlterUserScramCredentials (API key 51, KIP-554), which kafkajs does not implement:
// version 0, a "flexible" version (compact strings and arrays, tagged fields), encoded by
// hand. kafkajs writes request header v1 (api key, version, correlation id, client id);
// the empty tag buffer that makes it header v2 leads our body, and the response's header
// tag buffer (header v1) leads what kafkajs hands to decode.

export const ALTER_USER_SCRAM_CREDENTIALS_API_KEY = 51;
/** Kafka's id of the mechanism; the platform's broker speaks SCRAM-SHA-512. */
const SCRAM_SHA_512 = 2;
/** Kafka accepts 4096..16384 for SHA-512; the lowest is RFC 5802's recommendation. */
export const SCRAM_ITERATIONS = 8192;

export type ScramUpsertion = { name: string; password: string };

/** Kafka's RESOURCE_NOT_FOUND: deleting a credential that is not there (already done). */
export const RESOURCE_NOT_FOUND = 91;

/** One user's result, as the broker answers it (error code 0: done). */
export type ScramAlterationResult = {
  user: string;
  errorCode: number;
  errorMessage: string | null;
};

/** RFC 5802 Hi(): what the broker stores is derived from this, never the password. */
export function saltedPasswordOf(password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 64, 'sha512');
}

/** The request body (after the header's client id), each user with a fresh random salt. */
export function encodeUpsertions(upsertions: readonly ScramUpsertion[]): Buffer {
  const parts: Buffer[] = [uvarint(0), uvarint(1)]; // header tags; no deletions
  parts.push(uvarint(upsertions.length + 1));
  for (const { name, password } of upsertions) {
    const salt = randomBytes(32);
    parts.push(compactString(name), int8(SCRAM_SHA_512), int32(SCRAM_ITERATIONS));
    parts.push(
      compactBytes(salt),
      compactBytes(saltedPasswordOf(password, salt, SCRAM_ITERATIONS)),
    );
    parts.push(uvarint(0));
  }
  parts.push(uvarint(0));
  return Buffer.concat(parts);
}

/** The request body deleting the users' SCRAM-SHA-512 credentials (no upsertions). */
export function encodeDeletions(names: readonly string[]): Buffer {
  const parts: Buffer[] = [uvarint(0), uvarint(names.length + 1)]; // header tags, deletions
  for (const name of names) parts.push(compactString(name), int8(SCRAM_SHA_512), uvarint(0));
  parts.push(uvarint(1), uvarint(0)); // no upsertions; body tags
  return Buffer.concat(parts);
}

/** The response after the correlation id: header tags, throttle time, one result per user. */
export function decodeAlterationResults(payload: Buffer): ScramAlterationResult[] {
  const reader = new CompactReader(payload);
  reader.skipTags();
  reader.int32(); // throttle_time_ms
  const results: ScramAlterationResult[] = [];
  for (let count = reader.uvarint() - 1; count > 0; count--) {
    const user = reader.compactString() ?? '';
    const errorCode = reader.int16();
    const errorMessage = reader.compactString();
    reader.skipTags();
    results.push({ user, errorCode, errorMessage });
  }
  return results;
}

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value >>> 0;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function int8(value: number): Buffer {
  const buffer = Buffer.alloc(1);
  buffer.writeInt8(value);
  return buffer;
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

function compactBytes(value: Buffer): Buffer {
  return Buffer.concat([uvarint(value.length + 1), value]);
}

function compactString(value: string): Buffer {
  return compactBytes(Buffer.from(value, 'utf8'));
}

class CompactReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buffer.readUInt8(this.offset++);
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new Error('malformed unsigned varint');
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A compact nullable string: length + 1, where 0 means null. */
  compactString(): string | null {
    const length = this.uvarint() - 1;
    if (length < 0) return null;
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  skipTags(): void {
    for (let count = this.uvarint(); count > 0; count--) {
      this.uvarint(); // tag
      this.offset += this.uvarint(); // size, then the data skipped
    }
  }
}

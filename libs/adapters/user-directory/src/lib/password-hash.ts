import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N (CPU/memory, a power of 2), r (block size), p (parallelism). */
export type ScryptParams = { N: number; r: number; p: number };

/** ~50-100 ms and 32 MiB per hash on a laptop: slow for guessing, fine for a login. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ N: 32768, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const B64 = '[A-Za-z0-9+/]+={0,2}';
const HASH_PATTERN = new RegExp(
  `^scrypt\\$(\\d{1,7})\\$(\\d{1,2})\\$(\\d{1,2})\\$(${B64})\\$(${B64})$`,
);

type ParsedHash = ScryptParams & { salt: Buffer; key: Buffer };

/** `scrypt$N$r$p$<salt b64>$<key b64>` for a password, with a fresh 16-byte salt. */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, params);
  return encodeHash(params, salt, key);
}

/** Whether a password matches an encoded hash; compares in constant time. */
export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  if (!parsed) return false;
  const key = await deriveKey(password, parsed.salt, parsed.key.length, parsed);
  return timingSafeEqual(key, parsed.key);
}

export function isPasswordHash(encoded: string): boolean {
  return parsePasswordHash(encoded) !== undefined;
}

/**
 * A fixed hash that no password matches (its key is all zeros), costing one scrypt with
 * these params: checked for unknown users so they take as long as known ones.
 */
export function dummyPasswordHash(params: ScryptParams = DEFAULT_SCRYPT_PARAMS): string {
  return encodeHash(params, Buffer.alloc(SALT_BYTES, 0x5a), Buffer.alloc(KEY_BYTES, 0));
}

function encodeHash(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

// Bounds keep a tampered file from asking for absurd memory or CPU.
function parsePasswordHash(encoded: string): ParsedHash | undefined {
  const match = HASH_PATTERN.exec(encoded);
  if (!match) return undefined;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const salt = Buffer.from(match[4] ?? '', 'base64');
  const key = Buffer.from(match[5] ?? '', 'base64');
  const powerOfTwo = N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0;
  if (!powerOfTwo || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  if (salt.length < 8 || key.length < 16 || key.length > 64) return undefined;
  return { N, r, p, salt, key };
}

function deriveKey(
  password: string,
  salt: Buffer,
  length: number,
  { N, r, p }: ScryptParams,
): Promise<Buffer> {
  // OpenSSL needs 128·r·(N+p+2) bytes; node's default cap (32 MiB) is just short of N=32768.
  const maxmem = 2 * 128 * r * (N + p + 2);
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, { N, r, p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

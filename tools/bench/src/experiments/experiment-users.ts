import { randomBytes, scrypt } from 'node:crypto';
import { writeFile } from 'node:fs/promises';

import { ADMIN_SCOPE, ALL_MODELS, modelScope, predictScope } from '@ml-run/token-contract';

/** scrypt cost of a password hash: N (a power of 2), r, p, as the users file stores it. */
export type ScryptCost = { N: number; r: number; p: number };

/** What production hashes use (DEFAULT_SCRYPT_PARAMS in @ml-run/user-directory). */
export const PRODUCTION_SCRYPT: ScryptCost = Object.freeze({ N: 32768, r: 8, p: 1 });

/**
 * The experiments' users: one login costs ~1/32 of a production one. At full cost a login
 * is ~100-200 ms of CPU, so 2 cores could not sustain the login rate that real expiry at
 * p_stale 0.5 needs; the cost is per hash, so the admin and production files are untouched.
 */
export const EXPERIMENT_SCRYPT: ScryptCost = Object.freeze({ N: 1024, r: 8, p: 1 });

/** A test user's credentials. */
export type ExperimentClient = { username: string; password: string };

/** `count` fresh users exp-user-0001… with random 24-character passwords. */
export function experimentClients(count: number): ExperimentClient[] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`clients must be a whole number of at least 1, got ${count}`);
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => ({
    username: `exp-user-${String(i + 1).padStart(width, '0')}`,
    password: randomBytes(18).toString('base64url'),
  }));
}

/** The users file's `scrypt$N$r$p$<salt>$<key>` hash of a password at the given cost. */
export async function passwordHash(password: string, cost: ScryptCost): Promise<string> {
  const salt = randomBytes(16);
  // OpenSSL needs 128·r·(N+p+2) bytes; node's default cap is short of N=32768.
  const maxmem = 2 * 128 * cost.r * (cost.N + cost.p + 2);
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, 32, { ...cost, maxmem }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    ),
  );
  const encoded = [cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')];
  return `scrypt$${encoded.join('$')}`;
}

/**
 * Writes a users file (the format of user-directory's users-file.ts, version 1) holding the clients in group
 * `predictors`. Written here rather than with @ml-run/user-directory's addUser because the
 * bench may only import contract and util libs; the issuer validates the file when it
 * reads it, so a drift in the format fails the stack's start, not silently.
 */
export async function writeExperimentUsers(
  file: string,
  clients: readonly ExperimentClient[],
  cost: ScryptCost = EXPERIMENT_SCRYPT,
): Promise<void> {
  const users: Record<string, { passwordHash: string; groups: string[] }> = {};
  for (const client of clients)
    users[client.username] = {
      passwordHash: await passwordHash(client.password, cost),
      groups: ['predictors'],
    };
  const groups = {
    admins: [ADMIN_SCOPE],
    publishers: [modelScope('models:write', ALL_MODELS), predictScope(ALL_MODELS)],
    predictors: [predictScope(ALL_MODELS)],
  };
  await writeFile(file, JSON.stringify({ version: 1, groups, users }, null, 2), { mode: 0o600 });
}

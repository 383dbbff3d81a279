import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

import { expandHome } from '@ml-run/user-directory';

import { CliError } from '../cli.errors';

/** The file under the data dir that holds the CLI's bearer token (mode 0600). */
export const TOKEN_FILE = 'cli-token.json';

const storedTokenSchema = z.object({
  token: z.string().min(1),
  /** ISO 8601. */
  expiresAt: z.iso.datetime({ offset: true }),
  /** The issuer that issued it (logout revokes it there). */
  authUrl: z.string(),
  user: z.string(),
});

export type StoredToken = z.infer<typeof storedTokenSchema>;

// A token this close to its expiry would likely die during the command.
const EXPIRY_MARGIN_MS = 5_000;

export const NOT_LOGGED_IN = 'not logged in (or the token expired): run ml-run login -u <user>';

export function tokenFilePath(dataDir: string): string {
  return path.join(expandHome(dataDir), TOKEN_FILE);
}

/** Writes the token file with mode 0600, creating the data dir with mode 0700. */
export async function saveToken(dataDir: string, stored: StoredToken): Promise<string> {
  const file = tokenFilePath(dataDir);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Write beside it, then rename: the file is never readable by others nor half written.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return file;
}

/** The stored token, expired or not; undefined when there is none (or it is unreadable). */
export async function readToken(dataDir: string): Promise<StoredToken | undefined> {
  let text: string;
  try {
    text = await readFile(tokenFilePath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = storedTokenSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function isExpired(stored: StoredToken, now: number): boolean {
  return Date.parse(stored.expiresAt) - EXPIRY_MARGIN_MS <= now;
}

/** The stored token when it is still valid, else the "not logged in" error. */
export async function requireToken(dataDir: string, now: number): Promise<StoredToken> {
  const stored = await readToken(dataDir);
  if (stored === undefined || isExpired(stored, now)) throw new CliError(NOT_LOGGED_IN);
  return stored;
}

/** Removes the token file; false when there was none. */
export async function deleteToken(dataDir: string): Promise<boolean> {
  try {
    await rm(tokenFilePath(dataDir));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

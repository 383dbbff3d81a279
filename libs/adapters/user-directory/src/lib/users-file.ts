import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

import {
  ADMIN_SCOPE,
  ALL_MODELS,
  isValidScope,
  modelScope,
  normalizeScope,
  predictScope,
} from '@ml-run/token-contract';

import { isPasswordHash } from './password-hash';
import { UserDirectoryError, UserDirectoryErrorCode } from './user-directory.errors';

export type UserEntry = { passwordHash: string; groups: string[] };

// Maps, not objects: a lookup of "constructor" or "toString" must not find a user.
export type UsersDocument = {
  groups: Map<string, string[]>;
  users: Map<string, UserEntry>;
};

/** Users and group names: lower case, starting with a letter, at most 64 characters. */
export const NAME_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/;

/** The groups a new users file starts with. */
export const DEFAULT_GROUPS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  admins: [ADMIN_SCOPE],
  publishers: [modelScope('models:write', ALL_MODELS), predictScope(ALL_MODELS)],
  predictors: [predictScope(ALL_MODELS)],
});

const nameField = z.string().regex(NAME_PATTERN, `must match ${NAME_PATTERN.source}`);
const usersFileSchema = z.object({
  version: z.literal(1),
  groups: z.record(
    nameField,
    z.array(
      z
        .string()
        .refine(
          isValidScope,
          'is not a scope (admin, predict:<model>, models:read:<model>, models:write:<model>, or * for <model>)',
        ),
    ),
  ),
  users: z.record(
    nameField,
    z.object({
      passwordHash: z.string().refine(isPasswordHash, 'must be scrypt$N$r$p$<salt>$<key>'),
      groups: z.array(nameField),
    }),
  ),
});

export function defaultUsersDocument(): UsersDocument {
  const groups = Object.entries(DEFAULT_GROUPS).map(([name, scopes]) => [name, [...scopes]]);
  return { groups: new Map(groups as [string, string[]][]), users: new Map() };
}

/** Reads and validates a users file; throws UserDirectoryError naming the file and field. */
export async function readUsersFile(file: string): Promise<UsersDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new UserDirectoryError(
      UserDirectoryErrorCode.UsersFileMissing,
      `users file ${file} does not exist; create it with "ml-run users add"`,
    );
  }
  return parseUsersFile(text, file);
}

export function parseUsersFile(text: string, file: string): UsersDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidFile(file, `is not JSON (${(error as Error).message})`);
  }
  const result = usersFileSchema.safeParse(json);
  if (!result.success) throw invalidFile(file, result.error.issues.map(describeIssue).join('; '));
  const document: UsersDocument = {
    groups: new Map(
      Object.entries(result.data.groups).map(([group, scopes]) => [group, currentScopes(scopes)]),
    ),
    users: new Map(Object.entries(result.data.users)),
  };
  for (const [username, user] of document.users) {
    const unknown = user.groups.filter((group) => !document.groups.has(group));
    if (unknown.length > 0) {
      throw invalidFile(file, `user ${username} is in unknown group(s) ${unknown.join(', ')}`);
    }
  }
  return document;
}

// A file written before models had owners says models:write: it means models:write:* now,
// and the next write of the file stores that spelling.
function currentScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map(normalizeScope))];
}

/** Replaces the file atomically (temp file + rename), readable by its owner only. */
export async function writeUsersFile(file: string, document: UsersDocument): Promise<void> {
  const temp = await writeTemp(file, document);
  try {
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Creates the file only if it does not exist (link fails on an existing name); true if created. */
export async function createUsersFile(file: string, document: UsersDocument): Promise<boolean> {
  const temp = await writeTemp(file, document);
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

async function writeTemp(file: string, document: UsersDocument): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(serialize(document));
    await handle.sync();
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    await handle.close();
  }
  return temp;
}

// Sorted keys: a hand-edited or diffed file stays readable.
function serialize(document: UsersDocument): string {
  const sorted = <T>(map: Map<string, T>) =>
    Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
  const file = { version: 1, groups: sorted(document.groups), users: sorted(document.users) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.join('.') || '(top level)';
  if (issue.code === 'invalid_key') {
    return `${where}: key ${issue.issues.map((inner) => inner.message).join(', ')}`;
  }
  return `${where}: ${issue.message}`;
}

function invalidFile(file: string, reason: string): UserDirectoryError {
  return new UserDirectoryError(
    UserDirectoryErrorCode.UsersFileInvalid,
    `users file ${file} is invalid: ${reason}`,
  );
}

import { randomBytes } from 'node:crypto';

import { DEFAULT_SCRYPT_PARAMS, hashPassword, type ScryptParams } from './password-hash';
import { UserDirectoryError, UserDirectoryErrorCode } from './user-directory.errors';
import type { DirectoryGroup, UserSummary } from './user-directory.port';
import {
  createUsersFile,
  defaultUsersDocument,
  NAME_PATTERN,
  readUsersFile,
  writeUsersFile,
  type UsersDocument,
} from './users-file';

export type ManagementOptions = {
  /** Cost of new password hashes; default N=32768, r=8, p=1 (tests pass cheaper ones). */
  scrypt?: ScryptParams;
};

export const ADMIN_USERNAME = 'admin';
export const ADMIN_GROUP = 'admins';
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

/** Creates the users file with the default groups and no users; true when it was created. */
export function ensureUsersFile(file: string): Promise<boolean> {
  return createUsersFile(file, defaultUsersDocument());
}

/** Adds a user; the file is created with the default groups when it does not exist. */
export async function addUser(
  file: string,
  username: string,
  password: string,
  groups: readonly string[],
  options: ManagementOptions = {},
): Promise<void> {
  checkPassword(password);
  await ensureUsersFile(file);
  const document = await readUsersFile(file);
  checkNewUserIn(document, username, groups);
  const passwordHash = await hashPassword(password, options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
  document.users.set(username, { passwordHash, groups: [...new Set(groups)] });
  await writeUsersFile(file, document);
}

/** Throws what addUser would for this username and groups, before a password is asked for. */
export async function checkNewUser(
  file: string,
  username: string,
  groups: readonly string[],
): Promise<void> {
  checkNewUserIn(await readOrDefault(file), username, groups);
}

export async function removeUser(file: string, username: string): Promise<void> {
  const document = await readExisting(file, username);
  document.users.delete(username);
  await writeUsersFile(file, document);
}

export async function setPassword(
  file: string,
  username: string,
  password: string,
  options: ManagementOptions = {},
): Promise<void> {
  checkPassword(password);
  const document = await readExisting(file, username);
  const user = document.users.get(username);
  if (!user) return;
  const passwordHash = await hashPassword(password, options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
  document.users.set(username, { ...user, passwordHash });
  await writeUsersFile(file, document);
}

/** Users and their groups, sorted by name; none when the file does not exist yet. */
export async function listUsers(file: string): Promise<UserSummary[]> {
  const document = await readOrDefault(file);
  return [...document.users]
    .map(([username, user]) => ({ username, groups: [...user.groups] }))
    .sort((a, b) => a.username.localeCompare(b.username));
}

/** Groups and the scopes each grants, sorted by name; the default ones before the file exists. */
export async function listGroups(file: string): Promise<DirectoryGroup[]> {
  const document = await readOrDefault(file);
  return [...document.groups]
    .map(([name, scopes]) => ({ name, scopes: [...scopes] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Creates user `admin` in group `admins` unless it exists (an existing admin is never
 * changed), with the given password or a generated one (24 characters, base64url).
 */
export async function bootstrapAdmin(
  file: string,
  password?: string,
  options: ManagementOptions = {},
): Promise<{ created: boolean; generatedPassword?: string }> {
  await ensureUsersFile(file);
  if ((await readUsersFile(file)).users.has(ADMIN_USERNAME)) return { created: false };
  const generatedPassword =
    password === undefined ? randomBytes(18).toString('base64url') : undefined;
  try {
    await addUser(
      file,
      ADMIN_USERNAME,
      password ?? generatedPassword ?? '',
      [ADMIN_GROUP],
      options,
    );
  } catch (error) {
    // Another process bootstrapped it first: it stays as that process made it.
    if (error instanceof UserDirectoryError && error.code === UserDirectoryErrorCode.UserExists) {
      return { created: false };
    }
    throw error;
  }
  return generatedPassword === undefined ? { created: true } : { created: true, generatedPassword };
}

async function readExisting(file: string, username: string): Promise<UsersDocument> {
  const document = await readOrDefault(file);
  if (!document.users.has(username)) {
    throw new UserDirectoryError(
      UserDirectoryErrorCode.UserNotFound,
      `user ${username} does not exist in ${file}`,
    );
  }
  return document;
}

// A file not created yet reads as the default one: no users, the default groups.
function readOrDefault(file: string): Promise<UsersDocument> {
  return readUsersFile(file).catch((error: unknown) => {
    if (isMissingFile(error)) return defaultUsersDocument();
    throw error;
  });
}

function checkNewUserIn(
  document: UsersDocument,
  username: string,
  groups: readonly string[],
): void {
  checkUsername(username);
  if (document.users.has(username)) {
    throw new UserDirectoryError(
      UserDirectoryErrorCode.UserExists,
      `user ${username} already exists; use "users passwd" to change the password`,
    );
  }
  checkGroups(document, groups);
}

function checkUsername(username: string): void {
  if (NAME_PATTERN.test(username)) return;
  throw new UserDirectoryError(
    UserDirectoryErrorCode.InvalidUsername,
    `username "${username}" is invalid: use lower-case letters, digits, ".", "_" or "-", starting with a letter, at most 64 characters`,
  );
}

function checkPassword(password: string): void {
  const length = [...password].length;
  if (length >= MIN_PASSWORD_LENGTH && length <= MAX_PASSWORD_LENGTH) return;
  throw new UserDirectoryError(
    UserDirectoryErrorCode.WeakPassword,
    `password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`,
  );
}

function checkGroups(document: UsersDocument, groups: readonly string[]): void {
  const unknown = groups.filter((group) => !document.groups.has(group));
  if (unknown.length === 0) return;
  throw new UserDirectoryError(
    UserDirectoryErrorCode.UnknownGroup,
    `unknown group(s) ${unknown.join(', ')}; known groups: ${[...document.groups.keys()].join(', ')}`,
  );
}

function isMissingFile(error: unknown): boolean {
  return (
    error instanceof UserDirectoryError && error.code === UserDirectoryErrorCode.UsersFileMissing
  );
}

import {
  addUser,
  checkNewUser,
  listUsers,
  removeUser,
  setPassword,
  type ManagementOptions,
} from '@ml-run/user-directory';

import { CliError } from '../cli.errors';

/** What a users command works on, and where it reports. */
export type UsersContext = {
  file: string;
  out: (line: string) => void;
  readPassword: () => Promise<string>;
  /** Hash cost; tests pass cheap scrypt params. */
  hashing?: ManagementOptions;
};

export async function usersAdd(
  ctx: UsersContext,
  username: string,
  groups: readonly string[],
): Promise<void> {
  // Refuse a bad name or group before asking for a password.
  await checkNewUser(ctx.file, username, groups);
  const password = await ctx.readPassword();
  await addUser(ctx.file, username, password, groups, ctx.hashing);
  ctx.out(`added user ${username} (groups: ${groups.join(', ') || 'none'}) to ${ctx.file}`);
}

export async function usersRemove(ctx: UsersContext, username: string): Promise<void> {
  await removeUser(ctx.file, username);
  ctx.out(`removed user ${username} from ${ctx.file}`);
}

export async function usersPasswd(ctx: UsersContext, username: string): Promise<void> {
  if (!(await listUsers(ctx.file)).some((user) => user.username === username)) {
    throw new CliError(`user ${username} does not exist in ${ctx.file}`);
  }
  await setPassword(ctx.file, username, await ctx.readPassword(), ctx.hashing);
  ctx.out(`changed the password of ${username}; tokens issued before stay valid until they expire`);
}

export async function usersList(ctx: UsersContext): Promise<void> {
  const users = await listUsers(ctx.file);
  if (users.length === 0) {
    ctx.out(`no users in ${ctx.file}; add one with "ml-run users add <username> --groups ..."`);
    return;
  }
  printUsers(ctx, users);
}

export function printUsers(
  sink: { out: (line: string) => void },
  users: readonly { username: string; groups: readonly string[] }[],
): void {
  const width = Math.max('USERNAME'.length, ...users.map((user) => user.username.length));
  sink.out(`${'USERNAME'.padEnd(width)}  GROUPS`);
  for (const user of users) sink.out(`${user.username.padEnd(width)}  ${user.groups.join(',')}`);
}

/** `a, b,,c` → ['a', 'b', 'c']. */
export function parseGroups(value: string): string[] {
  return value
    .split(',')
    .map((group) => group.trim())
    .filter(Boolean);
}

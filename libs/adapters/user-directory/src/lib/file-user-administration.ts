import { ADMIN_SCOPE, scopeAllows } from '@ml-run/token-contract';

import { UserDirectoryError, UserDirectoryErrorCode } from './user-directory.errors';
import type { DirectoryGroup, UserAdministration, UserSummary } from './user-directory.port';
import {
  addUser,
  listGroups,
  listUsers,
  removeUser,
  type ManagementOptions,
} from './user-management';

/**
 * The users file administered over the API with the CLI's own functions (same rules, same
 * atomic rewrite). The file directory's change watcher then revokes the tokens of a user
 * removed, as after `ml-run users remove`.
 */
export class FileUserAdministration implements UserAdministration {
  readonly managedBy = 'file';
  // Each change reads, edits and rewrites the whole file: two at once would lose one.
  // One at a time also bounds the scrypt work a flood of additions can ask for.
  private changes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly options: ManagementOptions = {},
  ) {}

  listUsers(): Promise<UserSummary[]> {
    return listUsers(this.file);
  }

  listGroups(): Promise<DirectoryGroup[]> {
    return listGroups(this.file);
  }

  addUser(username: string, password: string, groups: readonly string[]): Promise<UserSummary> {
    return this.oneAtATime(async () => {
      await addUser(this.file, username, password, groups, this.options);
      return { username, groups: [...new Set(groups)] };
    });
  }

  removeUser(username: string): Promise<void> {
    return this.oneAtATime(async () => {
      await this.refuseLastAdmin(username);
      await removeUser(this.file, username);
    });
  }

  private async refuseLastAdmin(username: string): Promise<void> {
    const [users, groups] = await Promise.all([listUsers(this.file), listGroups(this.file)]);
    const scopes = new Map(groups.map((group) => [group.name, group.scopes]));
    const isAdmin = (user: UserSummary) =>
      scopeAllows(
        user.groups.flatMap((group) => scopes.get(group) ?? []),
        ADMIN_SCOPE,
      );
    const admins = users.filter(isAdmin).map((user) => user.username);
    if (admins.length === 1 && admins[0] === username) {
      throw new UserDirectoryError(
        UserDirectoryErrorCode.LastAdmin,
        `${username} is the last user holding the admin scope; add another admin before removing ${username}`,
      );
    }
  }

  private oneAtATime<T>(change: () => Promise<T>): Promise<T> {
    const next = this.changes.then(change, change);
    this.changes = next.catch(() => undefined);
    return next;
  }
}

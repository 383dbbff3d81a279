/** A user and the groups they belong to (an administrator's view: no password, no scopes). */
export type UserSummary = { username: string; groups: string[] };

/** A group and the scopes it grants. */
export type DirectoryGroup = { name: string; scopes: string[] };

/**
 * Administration of a directory's users. Where users are managed elsewhere (LDAP), only
 * the reading half is there: addUser and removeUser are absent.
 */
export interface UserAdministration {
  readonly managedBy: 'file' | 'ldap';
  /** Users sorted by name; undefined when this directory cannot list its users here. */
  listUsers(): Promise<UserSummary[] | undefined>;
  /** Groups sorted by name, with the scopes each grants. */
  listGroups(): Promise<DirectoryGroup[]>;
  /** Adds a user (the CLI's rules: name, password length, known groups). */
  addUser?(username: string, password: string, groups: readonly string[]): Promise<UserSummary>;
  /**
   * Removes a user; refuses (LAST_ADMIN) to remove the last user holding the admin scope,
   * since no one could then manage users through ML-RUN.
   */
  removeUser?(username: string): Promise<void>;
}

/** A user who proved their password, with the scopes their groups grant. */
export type DirectoryUser = {
  username: string;
  groups: string[];
  scopes: string[];
};

/**
 * Checks users' passwords. `authenticate` answers undefined for an unknown user and for a
 * wrong password alike, in about the same time, so callers cannot tell which; it throws
 * UserDirectoryError when it cannot check at all (DIRECTORY_UNAVAILABLE: retry later).
 * A users file in embedded mode and on one host; LDAP in cluster mode.
 */
export interface UserDirectory {
  authenticate(username: string, password: string): Promise<DirectoryUser | undefined>;
  /**
   * Calls `listener` with the users removed, or whose password or scopes changed, as such
   * changes land; returns the function that stops watching. Absent where the directory has
   * no change feed (LDAP: changes there take effect as tokens expire, or by an admin revoke).
   */
  watchChanges?(listener: (usernames: readonly string[]) => void): () => void;
  /** Listing (and, for the users file, adding and removing) users; absent: no administration. */
  readonly admin?: UserAdministration;
}

export const USER_DIRECTORY = Symbol('USER_DIRECTORY');

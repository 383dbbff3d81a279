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
}

export const USER_DIRECTORY = Symbol('USER_DIRECTORY');

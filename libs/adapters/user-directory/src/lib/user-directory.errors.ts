export enum UserDirectoryErrorCode {
  InvalidUsername = 'INVALID_USERNAME',
  WeakPassword = 'WEAK_PASSWORD',
  UnknownGroup = 'UNKNOWN_GROUP',
  UserExists = 'USER_EXISTS',
  UserNotFound = 'USER_NOT_FOUND',
  /** Removing the user would leave no one holding the admin scope. */
  LastAdmin = 'LAST_ADMIN',
  UsersFileInvalid = 'USERS_FILE_INVALID',
  UsersFileMissing = 'USERS_FILE_MISSING',
  /** LDAP cannot answer now (unreachable, timed out, service bind refused): retry later. */
  DirectoryUnavailable = 'DIRECTORY_UNAVAILABLE',
  LdapOptionsInvalid = 'LDAP_OPTIONS_INVALID',
}

// Messages say what to fix; they never contain a password.
export class UserDirectoryError extends Error {
  constructor(
    readonly code: UserDirectoryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UserDirectoryError';
  }
}

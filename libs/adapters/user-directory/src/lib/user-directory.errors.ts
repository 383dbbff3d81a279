import { UserAdminErrorCode } from '@ml-run/token-contract';

// A code the user doors answer with is the contract's member (the issuer maps each to its status).
export enum UserDirectoryErrorCode {
  InvalidUsername = UserAdminErrorCode.InvalidUsername,
  WeakPassword = UserAdminErrorCode.WeakPassword,
  UnknownGroup = UserAdminErrorCode.UnknownGroup,
  UserExists = UserAdminErrorCode.UserExists,
  UserNotFound = UserAdminErrorCode.UserNotFound,
  /** Removing the user would leave no one holding the admin scope. */
  LastAdmin = UserAdminErrorCode.LastAdmin,
  UsersFileInvalid = 'USERS_FILE_INVALID',
  UsersFileMissing = 'USERS_FILE_MISSING',
  /** LDAP cannot answer now (unreachable, timed out, service bind refused): retry later. */
  DirectoryUnavailable = UserAdminErrorCode.DirectoryUnavailable,
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

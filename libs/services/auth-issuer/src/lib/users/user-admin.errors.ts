import { AuthErrorCode, UserAdminErrorCode } from '@ml-run/token-contract';
import { UserDirectoryError, UserDirectoryErrorCode } from '@ml-run/user-directory';

/** A refused user-administration request: `{code, message}` with its status. */
export class UserAdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: UserAdminErrorCode | AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UserAdminError';
  }
}

const REFUSALS: Partial<Record<UserDirectoryErrorCode, [number, UserAdminErrorCode]>> = {
  [UserDirectoryErrorCode.InvalidUsername]: [422, UserAdminErrorCode.InvalidUsername],
  [UserDirectoryErrorCode.WeakPassword]: [422, UserAdminErrorCode.WeakPassword],
  [UserDirectoryErrorCode.UnknownGroup]: [422, UserAdminErrorCode.UnknownGroup],
  [UserDirectoryErrorCode.UserExists]: [409, UserAdminErrorCode.UserExists],
  [UserDirectoryErrorCode.UserNotFound]: [404, UserAdminErrorCode.UserNotFound],
  [UserDirectoryErrorCode.LastAdmin]: [409, UserAdminErrorCode.LastAdmin],
};

/**
 * The directory's refusal as the API's; anything else it throws (a users file that is
 * invalid or unreadable, LDAP away) is the directory being unable to answer: 503.
 * Directory messages name no password (UserDirectoryError's rule).
 */
export function userAdminErrorOf(error: unknown): UserAdminError {
  if (error instanceof UserDirectoryError) {
    const refusal = REFUSALS[error.code];
    if (refusal) return new UserAdminError(refusal[0], refusal[1], error.message);
    return directoryUnavailable(error.message);
  }
  return directoryUnavailable('the user directory cannot be read or written now; retry later');
}

function directoryUnavailable(message: string): UserAdminError {
  return new UserAdminError(503, UserAdminErrorCode.DirectoryUnavailable, message);
}

export function managedInLdap(): UserAdminError {
  return new UserAdminError(
    409,
    UserAdminErrorCode.UsersManagedInLdap,
    'users are managed in the LDAP directory: add or remove them there (an admin can still revoke a user’s tokens here)',
  );
}

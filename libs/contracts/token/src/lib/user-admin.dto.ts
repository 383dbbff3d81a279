import { CommonErrorCode } from '@ml-run/error-codes';

/**
 * Wire types of the auth-issuer's user administration (`/v1/users`, `/v1/groups`, scope
 * `admin`). Passwords travel only in a CreateUserRequest; no answer ever carries one.
 */

/** Where users live: the issuer's users file (editable here) or LDAP (read-only here). */
export type UserDirectoryKind = 'file' | 'ldap';

/**
 * One user and their groups.
 * @example { username: 'bob', groups: ['publishers'] }
 */
export type UserSummary = {
  username: string;
  groups: string[];
};

/**
 * `GET /v1/users` answer, users sorted by name.
 * @example { users: [{ username: 'admin', groups: ['admins'] }], managedBy: 'file', editable: true }
 */
export type UserListResponse = {
  users: UserSummary[];
  managedBy: UserDirectoryKind;
  /** Whether `POST /v1/users` and `DELETE /v1/users/{name}` work here (false with LDAP). */
  editable: boolean;
  /**
   * A sentence to show beside the list when it is read-only or incomplete, e.g. that users
   * are managed in LDAP, or that LDAP could list only the first N users.
   */
  note?: string;
};

/**
 * `POST /v1/users` request. The password rules are the CLI's: 12 to 1024 characters.
 * Groups must exist (`GET /v1/groups`); a user with no group can log in but holds no scope.
 * @example { username: 'bob', password: 'correct horse battery', groups: ['publishers'] }
 */
export type CreateUserRequest = {
  username: string;
  password: string;
  groups: string[];
};

/** `POST /v1/users` answer (201): the user as stored, never the password. */
export type CreateUserResponse = UserSummary;

/**
 * A group and the scopes it grants.
 * @example { name: 'publishers', scopes: ['models:write:*', 'predict:*'] }
 */
export type GroupSummary = {
  name: string;
  scopes: string[];
};

/** `GET /v1/groups` answer, groups sorted by name. */
export type GroupListResponse = {
  groups: GroupSummary[];
  managedBy: UserDirectoryKind;
};

/**
 * Codes of `{code, message}` error answers from `/v1/users` and `/v1/groups` (besides the
 * AuthErrorCode ones for a missing or insufficient token).
 */
export enum UserAdminErrorCode {
  /** 413: a body longer than the user doors take (16 KiB). */
  PayloadTooLarge = CommonErrorCode.PayloadTooLarge,
  /** 400: the body is not JSON of the CreateUserRequest shape (a field missing or mistyped). */
  InvalidUserRequest = 'INVALID_USER_REQUEST',
  /** 422: the username breaks the naming rule. */
  InvalidUsername = 'INVALID_USERNAME',
  /** 422: the password is shorter than 12 or longer than 1024 characters. */
  WeakPassword = 'WEAK_PASSWORD',
  /** 422: a group that does not exist. */
  UnknownGroup = 'UNKNOWN_GROUP',
  /** 409: a user with that name exists. */
  UserExists = 'USER_EXISTS',
  /** 404: no user with that name. */
  UserNotFound = 'USER_NOT_FOUND',
  /** 409: removing this user would leave no one in the admins group. */
  LastAdmin = 'LAST_ADMIN',
  /** 409: an admin cannot remove themselves (another admin can). */
  CannotRemoveSelf = 'CANNOT_REMOVE_SELF',
  /** 409: the directory is LDAP: add and remove users there. */
  UsersManagedInLdap = 'USERS_MANAGED_IN_LDAP',
  /** 503: the directory cannot answer now (LDAP unreachable, users file unreadable). */
  DirectoryUnavailable = 'DIRECTORY_UNAVAILABLE',
}

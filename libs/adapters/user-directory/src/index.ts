export { FileUserDirectory, type FileUserDirectoryOptions } from './lib/file-user-directory';
export { LdapUserDirectory } from './lib/ldap/ldap-user-directory';
export {
  checkGroupScopes,
  DEFAULT_LDAP_SEARCH_FILTER,
  DEFAULT_LDAP_TIMEOUT_MS,
  LDAP_URL_PATTERN,
  usernameAttributeOf,
  type LdapUserDirectoryOptions,
} from './lib/ldap/ldap-options';
export {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  verifyPassword,
  type ScryptParams,
} from './lib/password-hash';
export { UserDirectoryError, UserDirectoryErrorCode } from './lib/user-directory.errors';
export {
  USER_DIRECTORY,
  type DirectoryGroup,
  type DirectoryUser,
  type UserAdministration,
  type UserDirectory,
  type UserSummary,
} from './lib/user-directory.port';
export { DEFAULT_GROUPS } from './lib/users-file';
export { expandHome, usersFilePath } from './lib/users-file-path';
export {
  addUser,
  ADMIN_USERNAME,
  bootstrapAdmin,
  checkNewUser,
  ensureUsersFile,
  listGroups,
  listUsers,
  MIN_PASSWORD_LENGTH,
  removeUser,
  setPassword,
  type ManagementOptions,
} from './lib/user-management';

export { AuthErrorCode } from './lib/auth.errors';
export {
  ADMIN_SCOPE,
  ALL_MODELS,
  allowsOnSomeModel,
  formatScopes,
  isValidScope,
  LEGACY_WRITE_SCOPE,
  MODEL_ACTIONS,
  modelScope,
  normalizeScope,
  parseScopes,
  predictScope,
  SCOPE_PATTERN,
  scopeAllows,
  type ModelAction,
} from './lib/scopes';
export {
  TOKEN_EVENTS_TOPIC,
  type TokenEvent,
  type TokenRevokedEvent,
  type UserTokensRevokedEvent,
} from './lib/token-events';
export { tokenHash, tokenLogId } from './lib/token-hash';
export {
  isSignedToken,
  JWKS_PATH,
  TOKEN_FORMATS,
  TOKEN_ISSUER,
  TOKEN_SIGNING_ALGORITHM,
  type TokenClaims,
  type TokenFormat,
  type TokenJwk,
  type TokenJwks,
} from './lib/jwt-token';
export {
  UserAdminErrorCode,
  type CreateUserRequest,
  type CreateUserResponse,
  type GroupListResponse,
  type GroupSummary,
  type UserDirectoryKind,
  type UserListResponse,
  type UserSummary,
} from './lib/user-admin.dto';
export {
  TOKEN_AUDIENCE,
  type IntrospectionRequest,
  type IntrospectionResponse,
  type RevocationRequest,
  type TokenRequest,
  type TokenResponse,
} from './lib/token.dto';
export {
  bearerCredential,
  CREDENTIAL_DIGEST_PATTERN,
  credentialDigest,
  digestOfSetting,
  isCredentialDigest,
  SERVICE_CREDENTIAL_VARIABLES,
  SERVICE_ROLES,
  ServiceCredential,
  ServiceCredentials,
  type ServiceRole,
} from './lib/service-credential';

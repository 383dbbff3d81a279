import { CommonErrorCode } from '@ml-run/error-codes';

/**
 * Error codes of ML-RUN's authorization, in `{code, message}` bodies. The RFC 6750 /
 * RFC 6749 error names travel in `WWW-Authenticate` and `error` fields alongside.
 * @example { code: 'INVALID_TOKEN', message: 'the bearer token has expired; log in again' }
 */
export enum AuthErrorCode {
  /** No credentials (RFC 6750 §3.1: 401 with no error attribute). */
  MissingToken = 'MISSING_TOKEN',
  /** Malformed Authorization header or a token in the URL: 400 invalid_request. */
  InvalidRequest = CommonErrorCode.InvalidRequest,
  /** Unknown, expired or revoked token: 401 invalid_token. */
  InvalidToken = 'INVALID_TOKEN',
  /** Valid token without the needed scope: 403 insufficient_scope. */
  InsufficientScope = 'INSUFFICIENT_SCOPE',
  /** The token could not be checked (validator or store down): 503. */
  AuthUnavailable = 'AUTH_UNAVAILABLE',
  /** Wrong username or password (never says which): 401 / OAuth invalid_grant. */
  InvalidCredentials = 'INVALID_CREDENTIALS',
  /** Too many failed logins for this user or address: 429 with Retry-After. */
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  /** Requested scope outside what the user's groups grant: 400 invalid_scope. */
  InvalidScope = 'INVALID_SCOPE',
  /** Unsupported grant_type or missing field: 400 invalid_request / unsupported_grant_type. */
  InvalidGrantRequest = 'INVALID_GRANT_REQUEST',
  /** A service endpoint called without the service credential: 401. */
  InvalidServiceCredential = 'INVALID_SERVICE_CREDENTIAL',
  /** A service door whose role this service holds no credential for (opens to no one): 403. */
  ServiceCredentialNotConfigured = 'SERVICE_CREDENTIAL_NOT_CONFIGURED',
}

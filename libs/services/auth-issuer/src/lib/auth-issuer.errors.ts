import { mapAuthorizationError } from '@ml-run/bearer-auth';
import type { ErrorMapper, ErrorReply } from '@ml-run/server';
import { AuthErrorCode } from '@ml-run/token-contract';

import { UserAdminError } from './users/user-admin.errors';

/** RFC 6749 §5.2 / RFC 7009 §2.2.1 error names this service answers with. */
export const OAUTH_ERROR_NAMES = [
  'invalid_request',
  'invalid_grant',
  'invalid_scope',
  'unsupported_grant_type',
  'temporarily_unavailable',
] as const;

export type OAuthErrorName = (typeof OAUTH_ERROR_NAMES)[number];

// The message doubles as error_description, so it must stay within RFC 6749's
// character set: printable ASCII without double quote or backslash.
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorName,
    readonly code: AuthErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'OAuthError';
  }
}

const STATUS_BY_CODE: Partial<Record<AuthErrorCode, number>> = {
  [AuthErrorCode.InvalidRequest]: 400,
  [AuthErrorCode.InvalidGrantRequest]: 400,
  // RFC 6749 §5.2: bad resource-owner credentials are 400 invalid_grant, not 401.
  [AuthErrorCode.InvalidCredentials]: 400,
  [AuthErrorCode.InvalidScope]: 400,
  [AuthErrorCode.TooManyAttempts]: 429,
  [AuthErrorCode.AuthUnavailable]: 503,
};

export function oauthErrorReply(error: OAuthError): ErrorReply {
  const reply: ErrorReply = {
    status: STATUS_BY_CODE[error.code] ?? 400,
    code: error.code,
    message: error.message,
  };
  if (error.retryAfterSeconds !== undefined) {
    reply.headers = { 'retry-after': String(error.retryAfterSeconds) };
  }
  return reply;
}

/** The issuer's domain errors as `{code, message}` answers (the OAuth filter adds RFC fields). */
export const mapAuthIssuerError: ErrorMapper = (error) => {
  if (error instanceof OAuthError) return oauthErrorReply(error);
  if (error instanceof UserAdminError) {
    return { status: error.status, code: error.code, message: error.message };
  }
  return mapAuthorizationError(error);
};

export function invalidRequest(
  message: string,
  code = AuthErrorCode.InvalidGrantRequest,
): OAuthError {
  return new OAuthError('invalid_request', code, message);
}

/**
 * Runs a token-store call; a failure there (Ignite away) becomes 503 with Retry-After, not
 * a 500: the client did nothing wrong and can simply try again.
 */
export async function withTokenStore<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new OAuthError(
      'temporarily_unavailable',
      AuthErrorCode.AuthUnavailable,
      'the token store cannot be reached, so tokens cannot be issued or revoked right now; retry in a few seconds',
      5,
      { cause: error },
    );
  }
}

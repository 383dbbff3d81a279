import type { ErrorMapper, ErrorReply } from '@ml-run/server';
import { AuthErrorCode } from '@ml-run/token-contract';

const REALM = 'ml-run';

/** Why a predict call was refused; carries its RFC 6750 status and challenge. */
export class AuthorizationError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** The metrics label: missing, malformed, invalid, expired, scope, unavailable. */
    readonly reason: string,
    /** For insufficient_scope: the scope the token lacks. */
    readonly requiredScope?: string,
  ) {
    super(message);
    this.name = 'AuthorizationError';
  }
}

function challenge(error?: string, description?: string, scope?: string): string {
  const parts = [`realm="${REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, '')}"`);
  if (scope) parts.push(`scope="${scope}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** RFC 6750 §3: status and WWW-Authenticate for each refusal. */
export function authorizationReply(error: AuthorizationError): ErrorReply {
  const base = { code: error.code, message: error.message };
  switch (error.code) {
    case AuthErrorCode.InvalidRequest:
      return {
        ...base,
        status: 400,
        headers: { 'www-authenticate': challenge('invalid_request', error.message) },
      };
    case AuthErrorCode.InsufficientScope:
      return {
        ...base,
        status: 403,
        // Machine-readable, so a client can say which scope to ask an admin for.
        ...(error.requiredScope === undefined
          ? {}
          : { details: { requiredScope: error.requiredScope } }),
        headers: {
          'www-authenticate': challenge('insufficient_scope', error.message, error.requiredScope),
        },
      };
    case AuthErrorCode.AuthUnavailable:
      return { ...base, status: 503, headers: { 'retry-after': '1' } };
    case AuthErrorCode.InvalidToken:
      return {
        ...base,
        status: 401,
        headers: { 'www-authenticate': challenge('invalid_token', error.message) },
      };
    default:
      return { ...base, status: 401, headers: { 'www-authenticate': challenge() } };
  }
}

/** AuthorizationError refusals as HTTP answers; undefined for any other error. */
export const mapAuthorizationError: ErrorMapper = (error) =>
  error instanceof AuthorizationError ? authorizationReply(error) : undefined;

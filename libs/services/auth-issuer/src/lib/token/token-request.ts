import {
  AuthErrorCode,
  isValidScope,
  normalizeScope,
  parseScopes,
  scopeAllows,
  type TokenRequest,
} from '@ml-run/token-contract';

import { invalidRequest, OAuthError } from '../auth-issuer.errors';
import { oauthParam, oauthParams } from '../oauth-params';

const CODE = AuthErrorCode.InvalidGrantRequest;

/** The password-grant parameters of a token request, or the RFC 6749 error for them. */
export function parseTokenRequest(body: unknown): TokenRequest {
  const params = oauthParams(body, CODE);
  const grantType = oauthParam(params, 'grant_type', CODE, 64);
  if (grantType === undefined) {
    throw invalidRequest('grant_type is required; send grant_type=password');
  }
  if (grantType !== 'password') {
    throw new OAuthError('unsupported_grant_type', CODE, 'only grant_type=password is supported');
  }
  const username = oauthParam(params, 'username', CODE, 256);
  const password = oauthParam(params, 'password', CODE, 1024);
  if (username === undefined || password === undefined) {
    const missing = Object.entries({ username, password }).filter(([, v]) => v === undefined);
    throw invalidRequest(
      `missing required parameter(s): ${missing.map(([name]) => name).join(', ')}`,
    );
  }
  const scope = oauthParam(params, 'scope', CODE);
  return scope === undefined
    ? { grant_type: 'password', username, password }
    : { grant_type: 'password', username, password, scope };
}

/**
 * The scopes asked for, checked for syntax before any password is looked at; the deprecated
 * models:write is asked for as models:write:*.
 */
export function requestedScopes(scope: string | undefined): string[] {
  const scopes = parseScopes(scope);
  if (scopes.every(isValidScope)) return [...new Set(scopes.map(normalizeScope))];
  throw invalidScope(
    'scope must list admin, predict:<model>, models:read:<model> or models:write:<model> (* for every model)',
  );
}

/** All the user's scopes, or the requested ones when each is covered by them. */
export function grantScopes(granted: readonly string[], requested: readonly string[]): string[] {
  if (requested.length === 0) return [...granted];
  if (requested.every((scope) => scopeAllows(granted, scope))) return [...requested];
  throw invalidScope('scope asks for more than your groups grant; ask for a subset');
}

function invalidScope(message: string): OAuthError {
  return new OAuthError('invalid_scope', AuthErrorCode.InvalidScope, message);
}

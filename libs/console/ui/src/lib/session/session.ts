import { ADMIN_SCOPE, parseScopes, scopeAllows, type TokenResponse } from '@ml-run/token-contract';

/** A signed-in user, as the console holds it: in memory only, gone on reload. */
export type Session = {
  username: string;
  token: string;
  scopes: string[];
  /** ms since the epoch */
  expiresAt: number;
};

export const TOKEN_PATH = '/console/api/issuer/v1/auth/token';
export const REVOKE_PATH = '/console/api/issuer/v1/auth/revoke';

export function sessionFromToken(username: string, answer: TokenResponse, now: number): Session {
  return {
    username,
    token: answer.access_token,
    scopes: parseScopes(answer.scope),
    expiresAt: now + answer.expires_in * 1000,
  };
}

/**
 * Whether the session's scopes cover `scope` (the platform's own matcher: `admin`,
 * `<action>:*`, write implies read).
 * @example canWith(['models:write:*'], 'models:read:iris') // true
 */
export function canWith(scopes: readonly string[], scope: string): boolean {
  return scopeAllows(scopes, scope);
}

export function isAdmin(scopes: readonly string[]): boolean {
  return scopes.includes(ADMIN_SCOPE);
}

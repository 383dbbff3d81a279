import type { AuthErrorCode } from '@ml-run/token-contract';

import { invalidRequest } from './auth-issuer.errors';

export type OAuthParams = Readonly<Record<string, unknown>>;

/** The parameters of a JSON or form body; no body counts as no parameters. */
export function oauthParams(body: unknown, code: AuthErrorCode): OAuthParams {
  if (body === undefined || body === null) return {};
  if (typeof body === 'object' && !Array.isArray(body)) return body as OAuthParams;
  throw invalidRequest('send the parameters as a JSON object or a form', code);
}

/**
 * One parameter as a string; undefined when absent or empty (RFC 6749 §3.2: a parameter
 * without a value is omitted). Repeated (a form array) or non-string values are refused.
 */
export function oauthParam(
  params: OAuthParams,
  name: string,
  code: AuthErrorCode,
  maxLength = 4096,
): string | undefined {
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    throw invalidRequest(`parameter ${name} must be a single string`, code);
  }
  if (value.length > maxLength) {
    throw invalidRequest(`parameter ${name} is longer than ${maxLength} characters`, code);
  }
  return value;
}

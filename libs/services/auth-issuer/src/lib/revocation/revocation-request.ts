import { AuthErrorCode, type RevocationRequest } from '@ml-run/token-contract';

import { invalidRequest } from '../auth-issuer.errors';
import { oauthParam, oauthParams } from '../oauth-params';

const CODE = AuthErrorCode.InvalidRequest;

/** The token of a revocation request (RFC 7009 §2.1); the type hint is checked, then ignored. */
export function parseRevocationRequest(body: unknown): RevocationRequest {
  const params = oauthParams(body, CODE);
  oauthParam(params, 'token_type_hint', CODE, 64);
  const token = oauthParam(params, 'token', CODE);
  if (token === undefined) throw invalidRequest('missing required parameter: token', CODE);
  return { token };
}

import type { ErrorMapper } from '@ml-run/server';
import { AuthErrorCode } from '@ml-run/token-contract';

import { AuthorizationError, authorizationReply } from './authorization.errors';

/** A caller without the service credential, or with a wrong one. */
export class ServiceCredentialError extends Error {
  readonly code = AuthErrorCode.InvalidServiceCredential;

  constructor(message: string) {
    super(message);
    this.name = 'ServiceCredentialError';
  }
}

// RFC 6750 §3: the challenge names the realm services authenticate to.
const CHALLENGE = 'Bearer realm="ml-run-services", error="invalid_token"';

/** ServiceAccessEnforcer's refusals as HTTP answers. */
export const mapServiceAccessError: ErrorMapper = (error) => {
  if (error instanceof AuthorizationError) return authorizationReply(error);
  if (!(error instanceof ServiceCredentialError)) return undefined;
  return {
    status: 401,
    code: error.code,
    message: error.message,
    headers: { 'www-authenticate': CHALLENGE, 'cache-control': 'no-store' },
  };
};

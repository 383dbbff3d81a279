import type { ErrorMapper } from '@ml-run/server';
import { AuthErrorCode } from '@ml-run/token-contract';

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

export const mapServiceCredentialError: ErrorMapper = (error) =>
  error instanceof ServiceCredentialError
    ? {
        status: 401,
        code: error.code,
        message: error.message,
        headers: { 'www-authenticate': CHALLENGE, 'cache-control': 'no-store' },
      }
    : undefined;

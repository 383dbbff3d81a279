import {
  AuthErrorCode,
  SERVICE_CREDENTIAL_VARIABLES,
  type ServiceRole,
} from '@ml-run/token-contract';

import type { ErrorReply } from '../errors/error-reply';

// RFC 6750 §3: the challenge names the realm services authenticate to.
const CHALLENGE = 'Bearer realm="ml-run-services", error="invalid_token"';

/** A service door refused: no credential, another role's, or none configured here. */
export class ServiceCredentialError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceCredentialError';
  }

  /** No credential, or not one of `roles`. */
  static invalid(roles: readonly ServiceRole[], presented: boolean): ServiceCredentialError {
    const wanted = roles.map((role) => `<${SERVICE_CREDENTIAL_VARIABLES[role]}>`).join(' or ');
    const message = presented
      ? `the credential is not the one this door checks (${roles.join(' or ')}); send Authorization: Bearer ${wanted}`
      : `this endpoint is for ML-RUN services (${roles.join(' or ')}): send Authorization: Bearer ${wanted}`;
    return new ServiceCredentialError(AuthErrorCode.InvalidServiceCredential, message);
  }

  /** This service holds no credential for any of `roles`: the door opens to no one. */
  static notConfigured(roles: readonly ServiceRole[]): ServiceCredentialError {
    const variables = roles.map((role) => SERVICE_CREDENTIAL_VARIABLES[role]).join(' or ');
    return new ServiceCredentialError(
      AuthErrorCode.ServiceCredentialNotConfigured,
      `this service was started without ${variables}, so this door is closed to everyone; set it on the service (docs/security.md)`,
    );
  }
}

export function serviceCredentialReply(error: ServiceCredentialError): ErrorReply {
  const configured = error.code !== AuthErrorCode.ServiceCredentialNotConfigured;
  return {
    status: configured ? 401 : 403,
    code: error.code,
    message: error.message,
    headers: configured
      ? { 'www-authenticate': CHALLENGE, 'cache-control': 'no-store' }
      : { 'cache-control': 'no-store' },
  };
}

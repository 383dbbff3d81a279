import type { FastifyRequest } from 'fastify';

import { annotateRequest, type AccessEnforcer, type AccessRule } from '@ml-run/server';
import { AuthErrorCode, bearerCredential, type ServiceCredential } from '@ml-run/token-contract';

import { AuthorizationError } from './authorization.errors';
import { ServiceCredentialError } from './service-access.errors';

/**
 * Doors for ML-RUN services (the validator's introspection and event stream, the router's
 * in-flight counts) and the router's `bearer-present` predict routes. Token rules are not
 * its job: a service that has them uses TokenAuthorizer.
 */
export class ServiceAccessEnforcer implements AccessEnforcer {
  /** `credential` undefined: this service was given none, so no service may call in. */
  constructor(private readonly credential: ServiceCredential | undefined) {}

  admit(rules: readonly AccessRule[], request: FastifyRequest): void {
    const presented = bearerCredential(request.headers.authorization);
    if (rules.some((rule) => rule.kind === 'bearer-present') && presented !== undefined) return;
    const service = rules.find((rule) => rule.kind === 'service');
    if (service?.kind !== 'service') throw missingBearer();
    if (presented === undefined) {
      throw new ServiceCredentialError(
        `this endpoint is for ML-RUN services (${service.role}): send Authorization: Bearer <MLRUN_SERVICE_TOKEN>`,
      );
    }
    if (this.credential === undefined || !this.credential.matches(presented)) {
      throw new ServiceCredentialError(
        'the service credential is not valid; use the MLRUN_SERVICE_TOKEN this service runs with',
      );
    }
    annotateRequest(request.raw, { sub: `ml-run-service:${service.role}` });
  }
}

function missingBearer(): AuthorizationError {
  return new AuthorizationError(
    AuthErrorCode.MissingToken,
    'send Authorization: Bearer <token>; log in with POST /v1/auth/token to get one',
    'missing',
  );
}

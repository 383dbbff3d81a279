import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { bearerCredential, type ServiceCredential } from '@ml-run/token-contract';

import { ServiceCredentialError } from './service-credential.errors';

/** Provides the ServiceCredential the guard checks callers against. */
export const SERVICE_CREDENTIAL = Symbol('SERVICE_CREDENTIAL');

/** Lets through only callers presenting `Authorization: Bearer <MLRUN_SERVICE_TOKEN>`. */
@Injectable()
export class ServiceCredentialGuard implements CanActivate {
  constructor(@Inject(SERVICE_CREDENTIAL) private readonly credential: ServiceCredential) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const presented = bearerCredential(request.headers.authorization);
    if (presented === undefined) {
      throw new ServiceCredentialError(
        'this endpoint is for ML-RUN services: send Authorization: Bearer <MLRUN_SERVICE_TOKEN>',
      );
    }
    if (!this.credential.matches(presented)) {
      throw new ServiceCredentialError(
        'the service credential is not valid; use the MLRUN_SERVICE_TOKEN this validator runs with',
      );
    }
    return true;
  }
}

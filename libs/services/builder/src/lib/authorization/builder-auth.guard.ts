import {
  createParamDecorator,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import { annotateRequest } from '@ml-run/server';
import { bearerCredential, type ServiceCredential } from '@ml-run/token-contract';

import { RequestRefused } from './authorization.errors';
import {
  REQUEST_AUTHORIZER,
  type Principal,
  type RequestAuthorizer,
} from './request-authorizer.port';

/** The scope every change to the registry needs (upload, build, deploy, alias). */
export const WRITE_SCOPE = 'models:write';

/** Marks a handler (or controller) as a write: it needs models:write, not just any token. */
export const RequiresScope = Reflector.createDecorator<string>();

export const WriteAccess = () => RequiresScope(WRITE_SCOPE);

/**
 * Marks a read that other ML-RUN services may make with the service credential
 * (MLRUN_SERVICE_TOKEN) instead of a user's token: routers reading GET /v1/routes.
 */
export const ServiceReadable = Reflector.createDecorator<true>({ transform: () => true });

/** Provides the ServiceCredential (or undefined: no service may call in). */
export const SERVICE_CREDENTIAL = Symbol('SERVICE_CREDENTIAL');

const SERVICE_PRINCIPAL: Principal = Object.freeze({ sub: 'ml-run-service', tokenId: 'service' });

const PRINCIPAL = Symbol('mlrun.principal');

type WithPrincipal = FastifyRequest & { [PRINCIPAL]?: Principal };

/** The authorized caller of the current request (set by BuilderAuthGuard). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = context.switchToHttp().getRequest<WithPrincipal>()[PRINCIPAL];
  // Only reachable when a controller forgot the guard: a bug, so a 500.
  if (principal === undefined) throw new Error('no caller: BuilderAuthGuard did not run');
  return principal;
});

/** Reads need any valid bearer token; handlers marked WriteAccess need models:write. */
@Injectable()
export class BuilderAuthGuard implements CanActivate {
  constructor(
    @Inject(REQUEST_AUTHORIZER) private readonly authorizer: RequestAuthorizer,
    private readonly reflector: Reflector,
    @Inject(SERVICE_CREDENTIAL) private readonly service: ServiceCredential | undefined,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WithPrincipal>();
    const scope = this.reflector.getAllAndOverride(RequiresScope, [
      context.getHandler(),
      context.getClass(),
    ]);
    const principal = this.isService(context, request)
      ? SERVICE_PRINCIPAL
      : await this.authorize(request, scope);
    request[PRINCIPAL] = principal;
    annotateRequest(request.raw, { sub: principal.sub });
    return true;
  }

  private isService(context: ExecutionContext, request: FastifyRequest): boolean {
    if (!this.service || !this.reflector.get(ServiceReadable, context.getHandler())) return false;
    const presented = bearerCredential(request.headers.authorization);
    return presented !== undefined && this.service.matches(presented);
  }

  private async authorize(request: FastifyRequest, scope: string | undefined): Promise<Principal> {
    try {
      return await this.authorizer.authorize(request.headers.authorization, request.url, scope);
    } catch (error) {
      const reply = this.authorizer.refusalReply(error);
      if (reply === undefined) throw error;
      throw new RequestRefused(reply, error);
    }
  }
}

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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WithPrincipal>();
    const scope = this.reflector.getAllAndOverride(RequiresScope, [
      context.getHandler(),
      context.getClass(),
    ]);
    const principal = await this.authorize(request, scope);
    request[PRINCIPAL] = principal;
    annotateRequest(request.raw, { sub: principal.sub });
    return true;
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

import { createParamDecorator, Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import {
  annotateRequest,
  serviceCallerOf,
  type AccessEnforcer,
  type AccessRule,
} from '@ml-run/server';

import { RequestRefused } from './authorization.errors';
import {
  REQUEST_AUTHORIZER,
  type Principal,
  type RequestAuthorizer,
} from './request-authorizer.port';

/** The scope every change to the registry needs (upload, build, deploy, alias). */
export const WRITE_SCOPE = 'models:write';

const PRINCIPAL = Symbol('mlrun.principal');

type WithPrincipal = FastifyRequest & { [PRINCIPAL]?: Principal };

/**
 * The authorized caller of the current request: the user BuilderAccessEnforcer admitted, or
 * the ML-RUN service whose credential the platform admitted (a router, the console).
 */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<WithPrincipal>();
  const role = serviceCallerOf(request);
  const principal =
    request[PRINCIPAL] ?? (role && { sub: `ml-run-service:${role}`, tokenId: 'service' });
  // Only reachable on a route whose rules admitted no caller (public): a bug, so a 500.
  if (principal === undefined) throw new Error('no caller: the route admits no principal');
  return principal;
});

/**
 * The builder's token doors: a user's bearer token with the rule's scope (any valid token
 * when it names none). Service rules (route-table, registry-read) are the platform's: a
 * service credential never reaches here, and one that did would be asked about as a token.
 */
@Injectable()
export class BuilderAccessEnforcer implements AccessEnforcer {
  constructor(@Inject(REQUEST_AUTHORIZER) private readonly authorizer: RequestAuthorizer) {}

  async admit(rules: readonly AccessRule[], request: WithPrincipal): Promise<void> {
    const principal = await this.authorize(request, tokenRule(rules));
    request[PRINCIPAL] = principal;
    annotateRequest(request.raw, { sub: principal.sub });
  }

  private async authorize(
    request: FastifyRequest,
    rule: Extract<AccessRule, { kind: 'token' }>,
  ): Promise<Principal> {
    try {
      return await this.authorizer.authorize(
        request.headers.authorization,
        request.url,
        rule.scope,
      );
    } catch (error) {
      const reply = this.authorizer.refusalReply(error);
      if (reply === undefined) throw error;
      throw new RequestRefused(reply, error);
    }
  }
}

// Every builder route names a token rule (admins reach what services reach): one missing
// is a wiring bug, so a 500 rather than a guess at a policy.
function tokenRule(rules: readonly AccessRule[]): Extract<AccessRule, { kind: 'token' }> {
  const rule = rules.find((r) => r.kind === 'token');
  if (rule?.kind !== 'token') throw new Error(`no token rule among ${JSON.stringify(rules)}`);
  return rule;
}

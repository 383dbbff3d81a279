import { createParamDecorator, Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import {
  annotateRequest,
  type AccessEnforcer,
  type AccessRule,
  type ServiceRole,
} from '@ml-run/server';
import { bearerCredential, type ServiceCredential } from '@ml-run/token-contract';

import { RequestRefused } from './authorization.errors';
import { ModelAccess } from './model-access.service';
import { modelScopeTemplate } from './model-rules';
import {
  REQUEST_AUTHORIZER,
  type Principal,
  type RequestAuthorizer,
} from './request-authorizer.port';

/** Provides the ServiceCredential (or undefined: no service may call in). */
export const SERVICE_CREDENTIAL = Symbol('SERVICE_CREDENTIAL');

const PRINCIPAL = Symbol('mlrun.principal');

type WithPrincipal = FastifyRequest & { [PRINCIPAL]?: Principal };

/** The authorized caller of the current request (set by BuilderAccessEnforcer). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = context.switchToHttp().getRequest<WithPrincipal>()[PRINCIPAL];
  // Only reachable on a route whose rules admitted no caller (public): a bug, so a 500.
  if (principal === undefined) throw new Error('no caller: the route admits no principal');
  return principal;
});

/**
 * The builder's doors: a service rule admits the ML-RUN service credential, a token rule a
 * user's bearer token with the rule's scope (any valid token when it names none). A model
 * rule's scope names the model the matched route acts on (ModelRule): ModelAccess checks
 * it, and the owners for a change, before the handler runs.
 */
@Injectable()
export class BuilderAccessEnforcer implements AccessEnforcer {
  constructor(
    @Inject(REQUEST_AUTHORIZER) private readonly authorizer: RequestAuthorizer,
    @Inject(SERVICE_CREDENTIAL) private readonly service: ServiceCredential | undefined,
    private readonly models: ModelAccess,
  ) {}

  async admit(rules: readonly AccessRule[], request: WithPrincipal): Promise<void> {
    const role = this.serviceRole(rules, request);
    const principal = role
      ? { sub: `ml-run-service:${role}`, tokenId: 'service', scopes: [], groups: [] }
      : await this.admitToken(request, tokenRule(rules));
    request[PRINCIPAL] = principal;
    annotateRequest(request.raw, { sub: principal.sub });
  }

  private serviceRole(
    rules: readonly AccessRule[],
    request: FastifyRequest,
  ): ServiceRole | undefined {
    const rule = rules.find((r) => r.kind === 'service');
    if (!this.service || rule?.kind !== 'service') return undefined;
    const presented = bearerCredential(request.headers.authorization);
    return presented !== undefined && this.service.matches(presented) ? rule.role : undefined;
  }

  private async admitToken(
    request: FastifyRequest,
    rule: Extract<AccessRule, { kind: 'token' }>,
  ): Promise<Principal> {
    const template = modelScopeTemplate(rule.scope);
    if (template === undefined) return this.authorize(request, rule.scope);
    const principal = await this.authorize(request, undefined);
    await this.models.admit(template, principal, request.params as Record<string, string>);
    return principal;
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

// Every builder route names a token rule (admins reach what services reach): one missing
// is a wiring bug, so a 500 rather than a guess at a policy.
function tokenRule(rules: readonly AccessRule[]): Extract<AccessRule, { kind: 'token' }> {
  const rule = rules.find((r) => r.kind === 'token');
  if (rule?.kind !== 'token') throw new Error(`no token rule among ${JSON.stringify(rules)}`);
  return rule;
}

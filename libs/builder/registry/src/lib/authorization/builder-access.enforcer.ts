import { createParamDecorator, Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import {
  annotateRequest,
  serviceCallerOf,
  type AccessEnforcer,
  type AccessRule,
  type ServiceRole,
} from '@ml-run/server';
import { ALL_MODELS, modelScope } from '@ml-run/token-contract';

import { RequestRefused } from './authorization.errors';
import { ModelAccess } from './model-access.service';
import { modelScopeTemplate } from './model-rules';
import {
  REQUEST_AUTHORIZER,
  type Principal,
  type RequestAuthorizer,
} from './request-authorizer.port';

const PRINCIPAL = Symbol('mlrun.principal');

type WithPrincipal = FastifyRequest & { [PRINCIPAL]?: Principal };

/**
 * The authorized caller of the current request: the user BuilderAccessEnforcer admitted, or
 * the ML-RUN service whose credential the platform admitted (a router, the console).
 */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<WithPrincipal>();
  const role = serviceCallerOf(request);
  const principal = request[PRINCIPAL] ?? (role && servicePrincipal(role));
  // Only reachable on a route whose rules admitted no caller (public): a bug, so a 500.
  if (principal === undefined) throw new Error('no caller: the route admits no principal');
  return principal;
});

// The console's backend reads the whole registry (its own users' rights are its concern);
// a router reads only the route table, which is not filtered by scope.
function servicePrincipal(role: ServiceRole): Principal {
  const scopes = role === 'registry-read' ? [modelScope('models:read', ALL_MODELS)] : [];
  return { sub: `ml-run-service:${role}`, tokenId: 'service', scopes, groups: [] };
}

/**
 * The builder's token doors: a user's bearer token with the rule's scope (any valid token
 * when it names none). A model rule's scope names the model the matched route acts on
 * (ModelRule): ModelAccess checks it, and the owners for a change, before the handler runs.
 * Service rules (route-table, registry-read) are the platform's: a service credential never
 * reaches here, and one that did would be asked about as a token.
 */
@Injectable()
export class BuilderAccessEnforcer implements AccessEnforcer {
  constructor(
    @Inject(REQUEST_AUTHORIZER) private readonly authorizer: RequestAuthorizer,
    private readonly models: ModelAccess,
  ) {}

  async admit(rules: readonly AccessRule[], request: WithPrincipal): Promise<void> {
    const principal = await this.admitToken(request, tokenRule(rules));
    request[PRINCIPAL] = principal;
    annotateRequest(request.raw, { sub: principal.sub });
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

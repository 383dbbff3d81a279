import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';

import type { ServiceRole } from '@ml-run/token-contract';

export type { ServiceRole };

/**
 * Who may call a route. A route lists one or more rules; meeting any one admits the call.
 * - `public`: anyone (probes, documentation, login).
 * - `service`: an ML-RUN service (or a scraper) presenting the credential of `role`; checked
 *   by the platform against the credentials the service was given (bindAccessRules).
 * - `token`: a user's valid bearer token, holding `scope` when one is named.
 * - `bearer-present`: a bearer header must be there; the service behind (a replica) checks
 *   it. The router's predict routes: no body is read for a caller without one.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'service'; role: ServiceRole }
  | { kind: 'token'; scope?: string }
  | { kind: 'bearer-present' };

/** Where a route's rules live in its Fastify route config (read after routing). */
export const ACCESS_CONFIG_KEY = 'mlrunAccess';

/** The same rules as Nest metadata, for guards and param decorators that need them. */
export const ACCESS_RULES = 'mlrun:access-rules';

/**
 * Declares who may call a route, on the handler that declares the route. Enforced on the
 * route Fastify matched (whatever spelling of the path the caller sent), before the body is
 * read (see bindAccessRules).
 */
export function Access(...rules: [AccessRule, ...AccessRule[]]): MethodDecorator {
  return applyDecorators(
    SetMetadata(ACCESS_RULES, rules),
    RouteConfig({ [ACCESS_CONFIG_KEY]: rules }),
  );
}

/** Rule constructors, so declarations read as sentences: `@Access(Rule.token('admin'))`. */
export const Rule = {
  public: (): AccessRule => ({ kind: 'public' }),
  service: (role: ServiceRole): AccessRule => ({ kind: 'service', role }),
  token: (scope?: string): AccessRule => (scope ? { kind: 'token', scope } : { kind: 'token' }),
  bearerPresent: (): AccessRule => ({ kind: 'bearer-present' }),
};

export function describeRule(rule: AccessRule): string {
  switch (rule.kind) {
    case 'public':
      return 'public';
    case 'service':
      return `service credential (${rule.role})`;
    case 'token':
      return rule.scope ? `bearer token with ${rule.scope}` : 'any valid bearer token';
    case 'bearer-present':
      return 'a bearer header (checked by the replica)';
  }
}

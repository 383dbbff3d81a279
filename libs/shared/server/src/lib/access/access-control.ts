import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteOptions,
} from 'fastify';

import type { AccessEnforcer } from './access-enforcer.port';
import { ACCESS_CONFIG_KEY, describeRule, type AccessRule } from './access-rule';

/** A route as served, with the rules it declared. */
export type RouteAccess = { method: string; url: string; rules: readonly AccessRule[] };

// The OpenAPI document and its browsable form are registered by @nestjs/swagger's plugin,
// which takes no route config: they are public by design, and the only routes exempted.
const DOCS_PREFIX = '/docs';

/**
 * Binds every route's declared rules to the route itself, as Fastify registers it: the check
 * runs as the route's first onRequest hook, after routing (so `/v1/%70redict` meets the
 * rules of `/v1/predict`) and before the body is read. A route that declares no rule fails
 * the service's start, so no door can be added without one.
 */
export function bindAccessRules(
  fastify: FastifyInstance,
  enforcer: AccessEnforcer | undefined,
  table: RouteAccess[],
): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const rules = declaredRules(route);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, rules });
    if (rules.some((rule) => rule.kind === 'public')) return;
    if (enforcer === undefined) {
      throw new Error(
        `route ${String(route.method)} ${route.url} needs ${rules.map(describeRule).join(' or ')}, ` +
          'but the service provides no ACCESS_ENFORCER to check it',
      );
    }
    const check = admission(enforcer, rules);
    route.onRequest = [check, ...(route.onRequest === undefined ? [] : [route.onRequest].flat())];
  });
}

function declaredRules(route: RouteOptions): readonly AccessRule[] {
  const config = route.config as Record<string, unknown> | undefined;
  const rules = config?.[ACCESS_CONFIG_KEY] as readonly AccessRule[] | undefined;
  if (rules !== undefined && rules.length > 0) return rules;
  if (route.url === DOCS_PREFIX || route.url.startsWith(`${DOCS_PREFIX}/`)) {
    return [{ kind: 'public' }];
  }
  throw new Error(
    `route ${String(route.method)} ${route.url} declares no access rule: ` +
      'add @Access(...) where the route is declared',
  );
}

function admission(enforcer: AccessEnforcer, rules: readonly AccessRule[]) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // A refused caller's unread body would keep the connection (and its request timeout,
    // 600 s on the builder) for as long as the caller trickles it: the refusal ends both.
    const refuse = (error: Error): void => {
      reply.header('connection', 'close');
      done(error);
    };
    let outcome: void | Promise<void>;
    try {
      outcome = enforcer.admit(rules, request);
    } catch (error) {
      return refuse(error as Error);
    }
    if (outcome instanceof Promise) outcome.then(() => done(), refuse);
    else done();
  };
}

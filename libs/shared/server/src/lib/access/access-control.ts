import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteOptions,
} from 'fastify';

import {
  bearerCredential,
  SERVICE_ROLES,
  ServiceCredentials,
  type ServiceRole,
} from '@ml-run/token-contract';

import { annotateRequest } from '../logging/request-annotations';
import type { AccessEnforcer } from './access-enforcer.port';
import { ACCESS_CONFIG_KEY, describeRule, type AccessRule } from './access-rule';
import { ServiceCredentialError } from './service-access.errors';

/** A route as served, with the rules it declared. */
export type RouteAccess = { method: string; url: string; rules: readonly AccessRule[] };

// The OpenAPI document and its browsable form are registered by @nestjs/swagger's plugin,
// which takes no route config: they are public by design, and the only routes exempted.
const DOCS_PREFIX = '/docs';

const SERVICE_CALLER = Symbol('mlrun.serviceCaller');

type WithServiceCaller = FastifyRequest & { [SERVICE_CALLER]?: ServiceRole };

/** The service role whose credential admitted this request, if a service rule did. */
export function serviceCallerOf(request: FastifyRequest): ServiceRole | undefined {
  return (request as WithServiceCaller)[SERVICE_CALLER];
}

/**
 * Binds every route's declared rules to the route itself, as Fastify registers it: the check
 * runs as the route's first onRequest hook, after routing (so `/v1/%70redict` meets the
 * rules of `/v1/predict`) and before the body is read. A route that declares no rule fails
 * the service's start, so no door can be added without one.
 *
 * Service rules are checked here, the same way in every service, against `credentials`
 * (one per role this service checks): a credential opens only its own role's doors. The
 * service's enforcer sees the route's other rules (tokens), if the caller is no service.
 */
export function bindAccessRules(
  fastify: FastifyInstance,
  enforcer: AccessEnforcer | undefined,
  table: RouteAccess[],
  credentials: ServiceCredentials = new ServiceCredentials(),
): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const rules = declaredRules(route);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, rules });
    if (rules.some((rule) => rule.kind === 'public')) return;
    const others = rules.filter((rule) => rule.kind !== 'service');
    if (enforcer === undefined && others.length > 0) {
      throw new Error(
        `route ${String(route.method)} ${route.url} needs ${rules.map(describeRule).join(' or ')}, ` +
          'but the service provides no ACCESS_ENFORCER to check it',
      );
    }
    const check = admission(enforcer, rules, credentials);
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

function admission(
  enforcer: AccessEnforcer | undefined,
  rules: readonly AccessRule[],
  credentials: ServiceCredentials,
) {
  const roles = rules.flatMap((rule) => (rule.kind === 'service' ? [rule.role] : []));
  const others = rules.filter((rule) => rule.kind !== 'service');
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (roles.length > 0) {
      const presented = bearerCredential(request.headers.authorization);
      const role = credentials.roleOf(presented, roles);
      if (role !== undefined) {
        (request as WithServiceCaller)[SERVICE_CALLER] = role;
        annotateRequest(request.raw, { sub: `ml-run-service:${role}` });
        return done();
      }
      // Another role's credential is refused here, not passed on as a token (the builder
      // would send it to the validator to ask about it).
      if (others.length > 0 && credentials.roleOf(presented, SERVICE_ROLES) !== undefined) {
        return refuse(reply, done, ServiceCredentialError.invalid(roles, true));
      }
    }
    // Not a service: a route that also takes tokens asks the service's enforcer (a route
    // without service rules always has one: bindAccessRules refused it otherwise).
    if (enforcer === undefined || others.length === 0) {
      return refuse(reply, done, serviceRefusal(roles, request, credentials));
    }
    let outcome: void | Promise<void>;
    try {
      outcome = enforcer.admit(others, request);
    } catch (error) {
      return refuse(reply, done, error as Error);
    }
    if (outcome instanceof Promise) {
      outcome.then(
        () => done(),
        (error: Error) => refuse(reply, done, error),
      );
    } else done();
  };
}

// A refused caller's unread body would keep the connection (and its request timeout, 600 s
// on the builder) for as long as the caller trickles it: the refusal ends both. Hoisted: a
// named closure made per request costs an allocation and, with esbuild's keepNames, a
// defineProperty on every request.
function refuse(reply: FastifyReply, done: HookHandlerDoneFunction, error: Error): void {
  reply.header('connection', 'close');
  done(error);
}

function serviceRefusal(
  roles: readonly ServiceRole[],
  request: FastifyRequest,
  credentials: ServiceCredentials,
): ServiceCredentialError {
  if (!roles.some((role) => credentials.has(role)))
    return ServiceCredentialError.notConfigured(roles);
  return ServiceCredentialError.invalid(roles, request.headers.authorization !== undefined);
}

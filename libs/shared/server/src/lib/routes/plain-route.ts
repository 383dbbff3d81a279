import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';

import { ACCESS_CONFIG_KEY, type AccessRule } from '../access/access-rule';

/**
 * A hot route served by Fastify directly, without Nest's per-request layer (router proxy,
 * execution context, params, interceptors: ~11 µs a request on this machine). It keeps what
 * the platform guarantees every route: its access rules (bound by bindAccessRules like an
 * @Access declaration; a route without one fails the start), the request id echo, the
 * completion log line (annotateRequest adds to it), the http metrics, errors answered
 * through the service's ErrorMapper and ErrorFilter (throw, or reject), and an entry in
 * the OpenAPI document at /docs.
 *
 * ```ts
 * createServiceApp({
 *   ...,
 *   plainRoutes: (app) => {
 *     const predictions = app.get(PredictionService);
 *     return [{
 *       method: 'POST',
 *       url: '/v1/predict',
 *       access: [Rule.token('predict')],
 *       openApi: { summary: 'Runs the model', tags: ['prediction'], responses: { 200: { description: 'the output' } } },
 *       handler: (request, reply) => predictions.predict(request.body, reply),
 *     }];
 *   },
 * });
 * ```
 */
export type PlainRoute = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify's path syntax: `/v1/models/:name/predict`. */
  url: string;
  /** Who may call it: the rules @Access would declare (Rule.public(), Rule.token(...)). */
  access: readonly [AccessRule, ...AccessRule[]];
  /** A Fastify handler: return the body (or a promise of it), or send through `reply`. */
  handler: (request: FastifyRequest, reply: FastifyReply) => unknown;
  /** Its operation in the OpenAPI document (summary, tags, requestBody, responses). */
  openApi: OperationObject;
  /** Other Fastify route options (bodyLimit, schema, ...). */
  options?: Omit<RouteShorthandOptions, 'config'>;
};

/** Registers the routes on Fastify, with their rules where bindAccessRules reads them. */
export function registerPlainRoutes(fastify: FastifyInstance, routes: readonly PlainRoute[]): void {
  for (const route of routes) {
    fastify.route({
      ...route.options,
      method: route.method,
      url: route.url,
      handler: route.handler,
      config: { [ACCESS_CONFIG_KEY]: route.access },
    });
  }
}

/** Adds the routes' operations to the document Nest's swagger module built. */
export function addPlainRoutesToDocument(
  document: OpenAPIObject,
  routes: readonly PlainRoute[],
): void {
  for (const route of routes) {
    // Fastify's `::` is a literal colon (`predict::async`), not a parameter.
    const path = route.url.replace(/(::)|:([A-Za-z0-9_]+)/g, (_, escaped: string, name: string) =>
      escaped ? ':' : `{${name}}`,
    );
    const parameters = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => ({
      name: name as string,
      in: 'path' as const,
      required: true,
      schema: { type: 'string' as const },
    }));
    const callerNeedsBearer = route.access.every((rule) => rule.kind !== 'public');
    const operation: OperationObject = {
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(callerNeedsBearer ? { security: [{ bearer: [] }] } : {}),
      ...route.openApi,
    };
    document.paths[path] = { ...document.paths[path], [route.method.toLowerCase()]: operation };
  }
}

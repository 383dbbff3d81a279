import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

import type { PredictionController } from './prediction.controller';

// The two predict routes as Nest registers them (PredictionController's paths).
const ALIAS_ROUTE = '/v1/models/:name/predict';
const VERSION_ROUTE = '/v1/models/:name/versions/:version/predict';

type PredictParams = { name: string; version?: string };

/** Hands the predict routes to the controller once the app is built. */
export type DirectPredictRoutes = { bind(controller: PredictionController): void };

/**
 * Serves the two predict routes with a plain Fastify handler that calls the controller's
 * methods itself, skipping Nest's per-request execution context (param factories, the
 * exception zone, its promise chain): on the router's hottest path that was about a fifth of
 * its CPU per request. Nest still declares the routes, so their paths, access rule and
 * OpenAPI entries stay where they were; errors still reach the service's error filter
 * (through Fastify's error handler, which Nest owns).
 */
export function servePredictRoutesDirectly(fastify: FastifyInstance): DirectPredictRoutes {
  let controller: PredictionController | undefined;
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.method !== 'POST' || (route.url !== ALIAS_ROUTE && route.url !== VERSION_ROUTE))
      return;
    const viaNest = route.handler;
    const byVersion = route.url === VERSION_ROUTE;
    route.handler = function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      // Before bind (never once the app is built), Nest's own handler serves.
      if (controller === undefined) return viaNest.call(this, request, reply);
      const { name, version } = request.params as PredictParams;
      // An empty segment is no route, as Nest's adapter has it (`/v1/models//predict`).
      if (name === '' || version === '') return reply.callNotFound();
      const answered = byVersion
        ? controller.predictVersion(name, version ?? '', request, reply)
        : controller.predict(name, request, reply);
      answered.catch((error: unknown) => reply.send(error));
    };
  });
  return {
    bind: (bound) => {
      controller = bound;
    },
  };
}

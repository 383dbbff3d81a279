import type { FastifyRequest } from 'fastify';

const ROUTE = Symbol('mlrun.route');

type WithRoute = FastifyRequest & { [ROUTE]?: string };

/**
 * The route template a request matched (`/v1/models/:name/predict`; 'unmatched' for a
 * 404), the label of its metrics and log line. Read once per request: Fastify's
 * `routeOptions` getter builds a new object on every read.
 */
export function routeOf(request: FastifyRequest): string {
  const withRoute = request as WithRoute;
  return (withRoute[ROUTE] ??= request.routeOptions.url ?? 'unmatched');
}

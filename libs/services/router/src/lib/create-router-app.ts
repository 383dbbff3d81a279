import type { FastifyInstance } from 'fastify';

import { createServiceApp, type ServiceApp, type ServiceHostOptions } from '@ml-run/server';

import { capPredictionsInFlight } from './prediction/inflight-cap';
import type { RouterConfig } from './router.config';
import { mapRouterError } from './router.errors';
import { RouterModule, type RouterAdapters } from './router.module';

/**
 * The router (docs/architecture.md §2): the public entry for predictions. Resolves a model name, alias
 * or version to a READY replica and passes the request through. Starts serving before its
 * routes are in (predictions answer 503 until then); the adapters stay the caller's.
 */
export function createRouterApp(
  config: RouterConfig,
  adapters: RouterAdapters,
  options: ServiceHostOptions = {},
): Promise<ServiceApp> {
  return createServiceApp({
    service: 'router',
    description:
      'Public entry for predictions: POST /v1/models/{name}/predict (alias stable, or a canary split) or /v1/models/{name}/versions/{version}/predict; the body and the bearer token pass through to a ready replica.',
    module: RouterModule.forRoot(config, adapters),
    settings: config,
    serviceCredentials: { 'route-table': config.MLRUN_ROUTE_TABLE_TOKEN },
    errorMapper: mapRouterError,
    configureFastify: (fastify) => {
      acceptAnyBodyAsBytes(fastify);
      capPredictionsInFlight(fastify, config.MLRUN_MAX_INFLIGHT);
    },
    bodyParser: false,
    ...options,
  });
}

// The router never reads a body: it passes the bytes on, whatever their type, up to
// MLRUN_MAX_BODY_BYTES (Fastify's body limit answers 413 beyond it).
function acceptAnyBodyAsBytes(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
}

import { errorCodes, type FastifyInstance } from 'fastify';

import { createServiceApp, type ServiceApp, type ServiceHostOptions } from '@ml-run/server';

import { asyncPredictRoutes } from './async-prediction/async-predict-routes';
import { declaredLength } from './prediction/forwarding';
import { capPredictionsInFlight } from './prediction/inflight-cap';
import { predictRoutes } from './prediction/predict-routes';
import type { RouterConfig } from './router.config';
import { mapRouterError } from './router.errors';
import { RouterModule, type RouterAdapters } from './router.module';
import { RouteSync } from './routes/route-sync.service';

/**
 * The router (docs/architecture.md §2): the public entry for predictions. Resolves a model name, alias
 * or version to a READY replica and passes the request through. Starts serving before its
 * routes are in (predictions answer 503 until then); the adapters stay the caller's.
 */
export async function createRouterApp(
  config: RouterConfig,
  adapters: RouterAdapters,
  options: ServiceHostOptions = {},
): Promise<ServiceApp> {
  return createServiceApp({
    service: 'router',
    description:
      'Public entry for predictions: POST /v1/models/{name}/predict (alias stable, or a canary split) or /v1/models/{name}/versions/{version}/predict; the body and the bearer token pass through to a ready replica. POST /v1/models/{name}/predict:async queues one and answers 202 with its id; GET /v1/predictions/{id} reads its result.',
    module: RouterModule.forRoot(config, adapters),
    settings: config,
    serviceCredentials: { 'route-table': config.MLRUN_ROUTE_TABLE_TOKEN },
    errorMapper: mapRouterError,
    configureFastify: (fastify) => {
      passBodiesThrough(fastify, config.MLRUN_MAX_BODY_BYTES);
      capPredictionsInFlight(fastify, config.MLRUN_MAX_INFLIGHT);
    },
    plainRoutes: (app) => [...predictRoutes(app), ...asyncPredictRoutes(app)],
    bodyParser: false,
    ...options,
  });
}

// The router never reads a body: it hands the request stream, whatever its type, to the
// replica as it arrives (RequestBody), so a 10 MiB body costs a chunk of memory, not 10 MiB.
// A declared length over MLRUN_MAX_BODY_BYTES is refused here, before any replica is asked;
// a chunked body is counted on its way and cut at the same cap.
function passBodiesThrough(fastify: FastifyInstance, maxBodyBytes: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request, payload, done) => {
    const length = declaredLength(request);
    if (length !== undefined && !(length <= maxBodyBytes)) {
      return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
    }
    done(null, payload);
  });
}

/**
 * Reloads the route table now and resolves once it is in: for a host that knows the
 * builder's table has changed without an event the router would hear (embedded start).
 */
export async function reloadRoutes(router: ServiceApp): Promise<void> {
  const sync = router.nest.get(RouteSync);
  sync.resync('reload');
  await sync.settled();
}

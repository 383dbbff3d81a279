import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteOptions,
} from 'fastify';

import { RouterError, RouterErrorCode } from '../router.errors';

/**
 * Holds at most `max` predictions at once across the router's predict routes; past it, 429
 * with Retry-After before the body is read. Runs after the access check, so callers without
 * a bearer header never take a place.
 */
export function capPredictionsInFlight(fastify: FastifyInstance, max: number): void {
  let inFlight = 0;
  const gate = (_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (inFlight >= max) {
      return done(
        new RouterError(
          RouterErrorCode.TooManyRequests,
          `this router holds ${max} predictions already (MLRUN_MAX_INFLIGHT); retry in a second`,
        ),
      );
    }
    inFlight++;
    // 'close' comes for answered and abandoned requests alike: the place is always given back.
    reply.raw.once('close', () => inFlight--);
    done();
  };
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.method !== 'POST' || !route.url.startsWith('/v1/models/')) return;
    route.onRequest = [...(route.onRequest === undefined ? [] : [route.onRequest].flat()), gate];
  });
}

import {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';

import { routeOf } from '../routes/route-of';
import { requestAnnotations } from './request-annotations';
import { REQUEST_ID_HEADER } from './request-id';

/** Logs one line per finished request (Fastify's default logs two), keyed `requestId`. */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {
    // The completion line carries everything; a line on arrival doubles log volume.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    // Skip building the line at all when it would be dropped (benchmarks run at warn).
    if (
      !error &&
      !(request.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info')
    )
      return;
    const fields = {
      method: request.method,
      route: routeOf(request),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      ...requestAnnotations(request.raw),
    };
    if (error) request.log.error({ ...fields, err: error }, 'request failed');
    else request.log.info(fields, 'request completed');
  }
}

/** Echoes the request id so a client can quote it. */
export function registerRequestIdEcho(fastify: FastifyInstance): void {
  // A plain hook: an async one costs a promise per request.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}

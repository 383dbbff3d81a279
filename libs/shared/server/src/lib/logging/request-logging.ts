import {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';

import { routeOf } from '../routes/route-of';
import { writeCompletionLine } from './completion-line';
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
    const log = request.log as Logger;
    // Skip building the line at all when it would be dropped (benchmarks run at warn).
    if (!error && !log.isLevelEnabled('info')) return;
    const fields = {
      method: request.method,
      route: routeOf(request),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    };
    const annotations = requestAnnotations(request.raw);
    if (error) log.error({ ...fields, ...annotations, err: error }, 'request failed');
    else writeCompletionLine(log, fields, annotations);
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

import type { ServerResponse } from 'node:http';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { sseHeartbeat, sseHello } from '@ml-run/event-bus';
import { LongLivedStreams } from '@ml-run/server';

import type { ModelScopeTemplate } from '../authorization/model-rules';
import { StreamCallerCheck } from '../authorization/stream-caller-check';
import { BuilderError, BuilderErrorCode } from '../builder.errors';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
};

/**
 * The builder's server-sent event answers (build progress, model records): admitted within
 * the caller's stream limit, kept alive by heartbeats (quiet while pip or a docker layer
 * works, proxies must not close them), ended once the caller's token no longer reads the
 * model, and ended at shutdown, or the server's close would wait for them.
 */
@Injectable()
export class EventStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<ServerResponse>();
  private closing = false;

  constructor(
    private readonly limits: LongLivedStreams,
    private readonly callers: StreamCallerCheck,
  ) {}

  /** Takes `reply` over as a stream for its caller while `scope` lets them read it. */
  start(reply: FastifyReply, scope: ModelScopeTemplate): ServerResponse {
    if (this.closing) {
      throw new BuilderError(BuilderErrorCode.ShuttingDown, 'the builder is shutting down; retry');
    }
    this.limits.admit(reply.request, reply.raw);
    reply.hijack();
    // Hooks' headers (x-request-id) are on the reply; a hijacked reply must send them itself.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    reply.raw.writeHead(200, STREAM_HEADERS);
    reply.raw.write(sseHello());
    const response = reply.raw;
    this.limits.keepAlive(response, () => {
      if (!response.writableEnded) response.write(sseHeartbeat());
    });
    this.open.add(response);
    response.once('close', () => this.open.delete(response));
    this.callers.watch(reply.request, response, scope);
    return response;
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const response of this.open) response.end();
  }
}

/** Writes one named event, unless the stream has ended. */
export function writeEvent(response: ServerResponse, event: string, json: string): void {
  if (!response.writableEnded && !response.destroyed) {
    response.write(`event: ${event}\ndata: ${json}\n\n`);
  }
}

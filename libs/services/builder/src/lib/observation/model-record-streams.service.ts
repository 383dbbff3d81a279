import type { ServerResponse } from 'node:http';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { sseHeartbeat, sseHello } from '@ml-run/event-bus';
import type { ModelRecord } from '@ml-run/registry-contract';
import { LongLivedStreams } from '@ml-run/server';

import { StreamCallerCheck } from '../authorization/stream-caller-check';
import { BuilderError, BuilderErrorCode } from '../builder.errors';
import { RegistryQueries } from '../registry/registry-queries.service';

/** How often an open stream looks at its model: a change shows within this (and a read). */
const POLL_MS = 1000;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
};

/**
 * `GET /v1/models/{name}/events`: `event: model` with the same JSON as GET /v1/models/{name},
 * on connect and after each change (upload, build state, deployments and replica states,
 * aliases, owners). It compares snapshots instead of following events, so it holds on every
 * builder of a cluster whoever made the change, and a change made while a snapshot was
 * being read is never missed. Ends when the model is gone or the caller's token is.
 */
@Injectable()
export class ModelRecordStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<ServerResponse>();
  private closing = false;

  constructor(
    private readonly registry: RegistryQueries,
    private readonly limits: LongLivedStreams,
    private readonly callers: StreamCallerCheck,
  ) {}

  async stream(name: string, reply: FastifyReply): Promise<void> {
    // Read first: an unknown model is a 404 answered like any error, not a stream.
    let last = JSON.stringify(await this.registry.getModel(name));
    if (this.closing) {
      throw new BuilderError(BuilderErrorCode.ShuttingDown, 'the builder is shutting down; retry');
    }
    this.limits.admit(reply.request, reply.raw);
    const response = this.hijack(reply);
    this.callers.watch(reply.request, response, { action: 'models:read', target: 'name' });
    send(response, last);
    let reading = false;
    const poll = setInterval(() => {
      if (reading) return;
      reading = true;
      this.registry
        .getModel(name)
        .then((record: ModelRecord) => {
          const next = JSON.stringify(record);
          if (next !== last) send(response, next);
          last = next;
        })
        // The model was deleted (or the store is away): the client reconnects and is told.
        .catch(() => response.end())
        .finally(() => {
          reading = false;
        });
    }, POLL_MS);
    poll.unref();
    response.once('close', () => clearInterval(poll));
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const response of this.open) response.end();
  }

  private hijack(reply: FastifyReply): ServerResponse {
    reply.hijack();
    // Hooks' headers (x-request-id) are on the reply; a hijacked reply must send them itself.
    for (const [header, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(header, value);
    }
    reply.raw.writeHead(200, STREAM_HEADERS);
    reply.raw.write(sseHello());
    const response = reply.raw;
    this.limits.keepAlive(response, () => {
      if (!response.writableEnded) response.write(sseHeartbeat());
    });
    this.open.add(response);
    response.once('close', () => this.open.delete(response));
    return response;
  }
}

function send(response: ServerResponse, json: string): void {
  if (!response.writableEnded && !response.destroyed)
    response.write(`event: model\ndata: ${json}\n\n`);
}

import type { ServerResponse } from 'node:http';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { sseHeartbeat, sseHello } from '@ml-run/event-bus';
import type { BuildProgressEvent, BuildRecord } from '@ml-run/registry-contract';
import { LongLivedStreams } from '@ml-run/server';

import { StreamCallerCheck } from '../authorization/stream-caller-check';
import { BuilderError, BuilderErrorCode } from '../builder.errors';
import { REGISTRY_STORE, type RegistryStore } from '../registry/registry-store.port';
import { replaySteps } from './build-run';
import { BuildTracker } from './build-tracker.service';
import { buildNotFound } from './build.errors';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
};

/** One BuildProgressEvent in text/event-stream framing, named by its type. */
export function buildSseEvent(event: BuildProgressEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * `GET /v1/builds/{id}/events`: the steps so far, then live progress, ending after
 * `done`. Streams still open at shutdown are ended, or the server's close would wait.
 */
@Injectable()
export class BuildEventStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<ServerResponse>();
  private closing = false;

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly tracker: BuildTracker,
    private readonly limits: LongLivedStreams,
    private readonly callers: StreamCallerCheck,
  ) {}

  async stream(id: string, reply: FastifyReply): Promise<void> {
    const run = this.tracker.get(id);
    const record = run?.record ?? (await this.store.getBuild(id));
    if (record === undefined) throw buildNotFound(id);
    if (this.closing) {
      throw new BuilderError(BuilderErrorCode.ShuttingDown, 'the builder is shutting down; retry');
    }
    this.limits.admit(reply.request, reply.raw);
    const response = this.hijack(reply);
    this.callers.watch(reply.request, response, { action: 'models:read', target: 'build' });
    for (const event of replaySteps(record)) send(response, event);
    // Subscribing in the same tick as the replay: no event can fall in between.
    const live = this.tracker.get(id);
    if (live !== undefined && !live.closed) {
      const unsubscribe = live.subscribe((event) => {
        send(response, event);
        if (event.type === 'done') response.end();
      });
      response.once('close', unsubscribe);
      return;
    }
    this.endFinished(response, live?.record ?? record);
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const response of this.open) response.end();
  }

  private hijack(reply: FastifyReply): ServerResponse {
    reply.hijack();
    // Hooks' headers (x-request-id) are on the reply; a hijacked reply must send them itself.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    reply.raw.writeHead(200, STREAM_HEADERS);
    reply.raw.write(sseHello());
    const response = reply.raw;
    // Quiet while pip or a docker layer works: proxies must not close it meanwhile.
    this.limits.keepAlive(response, () => {
      if (!response.writableEnded) response.write(sseHeartbeat());
    });
    this.open.add(response);
    response.once('close', () => this.open.delete(response));
    return response;
  }

  // A build not running here is finished, or was interrupted and waits for a restart.
  private endFinished(response: ServerResponse, record: BuildRecord): void {
    if (record.state === 'succeeded' || record.state === 'failed') {
      send(response, { type: 'done', build: record });
    }
    response.end();
  }
}

function send(response: ServerResponse, event: BuildProgressEvent): void {
  if (!response.writableEnded && !response.destroyed) response.write(buildSseEvent(event));
}

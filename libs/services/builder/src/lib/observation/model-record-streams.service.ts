import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { EventStreams, RegistryQueries, writeEvent } from '@ml-run/builder-registry';
import type { ModelRecord } from '@ml-run/registry-contract';

/** How often an open stream looks at its model: a change shows within this (and a read). */
const POLL_MS = 1000;

/**
 * `GET /v1/models/{name}/events`: `event: model` with the same JSON as GET /v1/models/{name},
 * on connect and after each change (upload, build state, deployments and replica states,
 * aliases, owners). It compares snapshots instead of following events, so it holds on every
 * builder of a cluster whoever made the change, and a change made while a snapshot was
 * being read is never missed. Ends when the model is gone or the caller's token is.
 */
@Injectable()
export class ModelRecordStreams {
  constructor(
    private readonly registry: RegistryQueries,
    private readonly streams: EventStreams,
  ) {}

  async stream(name: string, reply: FastifyReply): Promise<void> {
    // Read first: an unknown model is a 404 answered like any error, not a stream.
    let last = JSON.stringify(await this.registry.getModel(name));
    const response = this.streams.start(reply, { action: 'models:read', target: 'name' });
    writeEvent(response, 'model', last);
    let reading = false;
    const poll = setInterval(() => {
      if (reading) return;
      reading = true;
      this.registry
        .getModel(name)
        .then((record: ModelRecord) => {
          const next = JSON.stringify(record);
          if (next !== last) writeEvent(response, 'model', next);
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
}

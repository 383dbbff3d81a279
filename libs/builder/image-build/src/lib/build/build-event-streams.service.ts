import type { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { EventStreams, writeEvent } from '@ml-run/builder-registry';
import type { BuildProgressEvent, BuildRecord } from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { replaySteps } from './build-run';
import { BuildTracker } from './build-tracker.service';
import { buildNotFound } from './build.errors';

/** `GET /v1/builds/{id}/events`: the steps so far, then live progress, ending after `done`. */
@Injectable()
export class BuildEventStreams {
  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly tracker: BuildTracker,
    private readonly streams: EventStreams,
  ) {}

  async stream(id: string, reply: FastifyReply): Promise<void> {
    const run = this.tracker.get(id);
    const record = run?.record ?? (await this.store.getBuild(id));
    if (record === undefined) throw buildNotFound(id);
    const response = this.streams.start(reply, { action: 'models:read', target: 'build' });
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

  // A build not running here is finished, or was interrupted and waits for a restart.
  private endFinished(response: ServerResponse, record: BuildRecord): void {
    if (record.state === 'succeeded' || record.state === 'failed') {
      send(response, { type: 'done', build: record });
    }
    response.end();
  }
}

function send(response: ServerResponse, event: BuildProgressEvent): void {
  writeEvent(response, event.type, JSON.stringify(event));
}

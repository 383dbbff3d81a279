import type { ServerResponse } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Gauge, type Registry } from 'prom-client';

import {
  EVENT_SUBSCRIBER,
  sseEvent,
  sseHeartbeat,
  sseHello,
  type EventSubscriber,
} from '@ml-run/event-bus';
import { LongLivedStreams, METRICS_REGISTRY } from '@ml-run/server';
import { AuthErrorCode, TOKEN_EVENTS_TOPIC, type TokenEvent } from '@ml-run/token-contract';

// A client this far behind is stuck: drop it; it reconnects and reports the gap.
const MAX_BUFFERED_BYTES = 1024 * 1024;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
};

/** Server-sent streams of TOKEN_EVENTS_TOPIC: how wrapper processes hear of revocations. */
@Injectable()
export class TokenEventStreams implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TokenEventStreams.name);
  private readonly streams = new Set<() => void>();
  private closing = false;

  constructor(
    @Inject(EVENT_SUBSCRIBER) private readonly events: EventSubscriber,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly limits: LongLivedStreams,
  ) {
    const streams = this.streams;
    new Gauge({
      name: 'mlrun_token_event_streams',
      help: 'Open token event streams (connected wrapper processes)',
      registers: [registry],
      collect() {
        this.set(streams.size);
      },
    });
  }

  /** Open streams, for metrics and tests. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Takes the reply over from Fastify and streams every token event until either side ends;
   * 429 when the caller's credential holds MLRUN_MAX_STREAMS_PER_CREDENTIAL streams already.
   */
  open(reply: FastifyReply): void {
    if (this.closing) {
      throw new ServiceUnavailableException({
        code: AuthErrorCode.AuthUnavailable,
        message: 'this token-validator is shutting down; reconnect in a moment',
      });
    }
    this.limits.admit(reply.request, reply.raw);
    reply.hijack();
    // Hooks' headers (x-request-id) are on the reply; a hijacked reply must send them itself.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    reply.raw.writeHead(200, STREAM_HEADERS);
    reply.raw.write(sseHello());
    this.track(reply.raw, reply.request.id);
  }

  // Streams must end before the server closes, or close() waits for them forever.
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const end of [...this.streams]) end();
  }

  private track(response: ServerResponse, requestId: string): void {
    // A gap upstream (Kafka reconnect) is passed on by ending the stream: the wrapper
    // reconnects, sees its own gap and drops its L1, so a missed revocation cannot linger.
    const onGap = (): void => {
      this.logger.warn({ requestId }, 'token events may have been missed; ending the stream');
      end();
    };
    const unsubscribe = this.events.subscribe<TokenEvent>(
      TOKEN_EVENTS_TOPIC,
      (event) => send(response, sseEvent(event)),
      { onGap },
    );
    this.limits.keepAlive(response, () => send(response, sseHeartbeat()));
    const end = (): void => {
      if (!this.streams.delete(end)) return;
      unsubscribe();
      response.end();
      this.logger.log({ requestId, streams: this.streams.size }, 'token event stream closed');
    };
    this.streams.add(end);
    response.once('close', end);
    this.logger.log({ streams: this.streams.size }, 'token event stream opened');
  }
}

function send(response: ServerResponse, chunk: string): void {
  if (response.writableEnded || response.destroyed) return;
  if (response.writableLength > MAX_BUFFERED_BYTES) {
    response.destroy();
    return;
  }
  response.write(chunk);
}

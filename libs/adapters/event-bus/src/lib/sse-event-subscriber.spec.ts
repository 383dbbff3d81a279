import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';

import { until } from '@ml-run/async/testing';

import type { BusEvent, Unsubscribe } from './event-bus.port';
import { SseEventSubscriber } from './sse-event-subscriber';
import { sseEvent, sseHello } from './sse-format';

const TOKEN = 'stream-credential-for-the-sse-spec-0123';
const TOPIC = 'ml-run.tokens';

// A minimal event stream server: what the token-validator serves, without Nest.
class TestStreamServer {
  readonly streams = new Set<ServerResponse>();
  readonly authorizations: (string | undefined)[] = [];
  /** Statuses to answer the next requests with, before streaming again. */
  readonly refusals: number[] = [];
  private server: Server | undefined;

  async start(port = 0): Promise<number> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  publish(event: BusEvent): void {
    for (const stream of this.streams) stream.write(sseEvent(event));
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.end();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    this.authorizations.push(request.headers.authorization);
    const refusal = this.refusals.shift();
    if (refusal !== undefined || request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(refusal ?? 401, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(sseHello());
    this.streams.add(response);
    response.once('close', () => this.streams.delete(response));
  }
}

const revoked = (n: number) => ({ type: 'token.revoked', tokenHash: `h${n}` });

describe(SseEventSubscriber.name, () => {
  let server: TestStreamServer;
  let port: number;
  let unsubscribe: Unsubscribe | undefined;
  let received: BusEvent[];
  let gaps: number;

  function subscribe(credential = TOKEN): void {
    const sut = new SseEventSubscriber({ url: `http://127.0.0.1:${port}/events`, credential });
    unsubscribe = sut.subscribe(TOPIC, (event) => void received.push(event), {
      onGap: () => void gaps++,
    });
  }

  beforeEach(async () => {
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
    server = new TestStreamServer();
    port = await server.start();
    received = [];
    gaps = 0;
  });
  afterEach(async () => {
    unsubscribe?.();
    unsubscribe = undefined;
    await server.stop();
    jest.restoreAllMocks();
  });

  it('sends the credential and delivers each event in order', async () => {
    subscribe();
    await until(() => server.streams.size === 1);
    server.publish(revoked(1));
    server.publish(revoked(2));
    await until(() => received.length === 2);
    expect(received).toEqual([revoked(1), revoked(2)]);
    expect(server.authorizations).toEqual([`Bearer ${TOKEN}`]);
    expect(gaps).toBe(0);
  });

  it('skips a malformed event and keeps delivering', async () => {
    subscribe();
    await until(() => server.streams.size === 1);
    for (const stream of server.streams) stream.write('data: {not json\n\n');
    server.publish(revoked(3));
    await until(() => received.length === 1);
    expect(received).toEqual([revoked(3)]);
  });

  it('reports a gap after the server restarts on the same port, then delivers again', async () => {
    subscribe();
    await until(() => server.streams.size === 1);
    await server.stop();
    server = new TestStreamServer();
    await server.start(port);
    await until(() => server.streams.size === 1);
    await until(() => gaps === 1);
    server.publish(revoked(4));
    await until(() => received.length === 1);
    expect(received).toEqual([revoked(4)]);
  });

  it('keeps reconnecting when a restarting server answers 503 for a while', async () => {
    subscribe();
    await until(() => server.streams.size === 1);
    await server.stop();
    server = new TestStreamServer();
    server.refusals.push(503, 503);
    await server.start(port);
    await until(() => server.streams.size === 1, 5000);
    expect(server.authorizations.length).toBeGreaterThanOrEqual(3);
    await until(() => gaps === 1);
    server.publish(revoked(5));
    await until(() => received.length === 1);
  }, 10_000);

  it('stops delivering and reconnecting once unsubscribed', async () => {
    subscribe();
    await until(() => server.streams.size === 1);
    unsubscribe?.();
    await until(() => server.streams.size === 0);
    server.publish(revoked(6));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(received).toEqual([]);
    expect(server.authorizations).toHaveLength(1);
  });
});

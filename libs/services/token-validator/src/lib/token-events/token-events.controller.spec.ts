import { get, type IncomingHttpHeaders } from 'node:http';

import { SseEventSubscriber } from '@ml-run/event-bus';
import { SCRAPER } from '@ml-run/server/testing';
import { TOKEN_EVENTS_TOPIC, type TokenRevokedEvent } from '@ml-run/token-contract';

import {
  INTROSPECTION_TOKEN,
  startTestValidator,
  type TestValidator,
} from '../../testing/start-test-validator';
import { TokenEventStreams } from './token-event-streams.service';
import { TokenEventsController } from './token-events.controller';

const REVOKED: TokenRevokedEvent = {
  type: 'token.revoked',
  tokenHash: 'a'.repeat(64),
  sub: 'ada',
  revokedAt: '2026-11-28T10:00:00.000Z',
};

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type RawStream = {
  status: number | undefined;
  headers: IncomingHttpHeaders;
  firstChunk: string;
  close: () => void;
};

// node:http rather than fetch: an aborted fetch leaves undici opening a spare keep-alive
// socket that holds the server's close() for its 4 s idle timeout.
function openStream(url: string, headers: Record<string, string>): Promise<RawStream> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers, agent: false }, (response) => {
      response.once('data', (chunk: Buffer) =>
        resolve({
          status: response.statusCode,
          headers: response.headers,
          firstChunk: chunk.toString('utf8'),
          close: () => request.destroy(),
        }),
      );
    });
    request.once('error', reject);
  });
}

describe(TokenEventsController.name, () => {
  let sut: TestValidator;
  let url: string;
  let streams: TokenEventStreams;
  const unsubscribes: (() => void)[] = [];

  beforeEach(async () => {
    sut = await startTestValidator();
    url = `${await sut.app.listen()}/v1/tokens/events`;
    streams = sut.app.nest.get(TokenEventStreams);
  });
  // Server first: its streams end and subscribers wait to reconnect, which unsubscribe stops.
  afterEach(async () => {
    await sut.close();
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  });

  function subscribe(received: unknown[], credential = INTROSPECTION_TOKEN): void {
    const subscriber = new SseEventSubscriber({ url, credential });
    unsubscribes.push(
      subscriber.subscribe(TOKEN_EVENTS_TOPIC, (event) => void received.push(event)),
    );
  }

  it('streams a token.revoked published on the bus to a subscriber within 1 s', async () => {
    const received: unknown[] = [];
    subscribe(received);
    await until(() => streams.size === 1);
    const published = Date.now();
    await sut.bus.publish(TOKEN_EVENTS_TOPIC, REVOKED);
    await until(() => received.length === 1, 1000);
    expect(Date.now() - published).toBeLessThan(1000);
    expect(received).toEqual([REVOKED]);
  });

  it('fans every event out to every open stream', async () => {
    const first: unknown[] = [];
    const second: unknown[] = [];
    subscribe(first);
    subscribe(second);
    await until(() => streams.size === 2);
    await sut.bus.publish(TOKEN_EVENTS_TOPIC, REVOKED);
    await sut.bus.publish(TOKEN_EVENTS_TOPIC, { ...REVOKED, sub: 'grace' });
    await until(() => first.length === 2 && second.length === 2, 1000);
    expect(second).toEqual(first);
  });

  it('sends event-stream headers, the hello, and the request id', async () => {
    const stream = await openStream(url, {
      authorization: `Bearer ${INTROSPECTION_TOKEN}`,
      'x-request-id': 'stream-1',
    });
    stream.close();
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-store');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    expect(stream.headers['x-request-id']).toBe('stream-1');
    expect(stream.firstChunk).toMatch(/^retry: \d+\n: connected\n\n/);
  });

  it('refuses a stream without the service credential with 401', async () => {
    const missing = await fetch(url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await missing.json()).toMatchObject({ code: 'INVALID_SERVICE_CREDENTIAL' });
    const wrong = await fetch(url, {
      headers: { authorization: 'Bearer wrong-wrong-wrong-wrong-wrong-wrong' },
    });
    expect(wrong.status).toBe(401);
    expect(streams.size).toBe(0);
  });

  it('unsubscribes from the bus when the client disconnects', async () => {
    const stream = await openStream(url, { authorization: `Bearer ${INTROSPECTION_TOKEN}` });
    await until(() => streams.size === 1);
    stream.close();
    await until(() => streams.size === 0);
    await sut.bus.publish(TOKEN_EVENTS_TOPIC, REVOKED);
    expect(streams.size).toBe(0);
  });

  it('closes promptly with a subscriber connected, and counts open streams', async () => {
    subscribe([]);
    await until(() => streams.size === 1);
    const metrics = (await sut.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER }))
      .body;
    expect(metrics).toMatch(/mlrun_token_event_streams\{service="token-validator"\} 1/);
    const started = Date.now();
    await sut.app.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(streams.size).toBe(0);
  });
});

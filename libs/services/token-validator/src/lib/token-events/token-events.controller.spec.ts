import { get, type IncomingHttpHeaders } from 'node:http';

import { until } from '@ml-run/async/testing';
import { SseEventSubscriber } from '@ml-run/event-bus';
import {
  heartbeatsOf,
  openStream as openEventStream,
  SCRAPER,
  type OpenedStream,
} from '@ml-run/server/testing';
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
    // Well under 1 s on an idle machine; the bound catches an event that never arrives.
    await until(() => received.length === 1, 5_000);
    expect(Date.now() - published).toBeLessThan(5_000);
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
    // An open stream would hold close() for good; a loaded machine takes a moment.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(streams.size).toBe(0);
  });
});

// A holder of the service credential (a wrapper gone wrong, or the credential leaked) opening
// streams until the validator runs out of sockets; and a stream cut by the request timeout.
describe(`${TokenEventsController.name} limits`, () => {
  const REQUEST_TIMEOUT_MS = 200;
  let sut: TestValidator;
  let url: string;
  let streams: TokenEventStreams;
  const opened: OpenedStream[] = [];

  beforeAll(async () => {
    sut = await startTestValidator({
      settings: {
        MLRUN_MAX_STREAMS_PER_CREDENTIAL: '2',
        MLRUN_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        MLRUN_STREAM_HEARTBEAT_MS: '100',
      },
    });
    url = `${await sut.app.listen()}/v1/tokens/events`;
    streams = sut.app.nest.get(TokenEventStreams);
  });
  afterEach(async () => {
    for (const stream of opened.splice(0)) stream.close();
    await until(() => streams.size === 0);
  });
  afterAll(() => sut.close());

  const open = async (authorization = `Bearer ${INTROSPECTION_TOKEN}`) => {
    const stream = await openEventStream(url, { authorization });
    opened.push(stream);
    return stream;
  };

  it('answers 429 with Retry-After past MLRUN_MAX_STREAMS_PER_CREDENTIAL, however the header is spelled, until one closes', async () => {
    const first = await open();
    await open();
    for (const authorization of [
      `Bearer ${INTROSPECTION_TOKEN}`,
      `bearer   ${INTROSPECTION_TOKEN} `,
    ]) {
      const refused = await open(authorization);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('5');
      await until(() => refused.ended);
      expect(JSON.parse(refused.chunks.join(''))).toEqual({
        code: 'TOO_MANY_STREAMS',
        message: expect.stringContaining('MLRUN_MAX_STREAMS_PER_CREDENTIAL'),
      });
    }
    expect(streams.size).toBe(2);
    first.close();
    await until(() => streams.size === 1);
    expect((await open()).status).toBe(200);
  });

  it('keeps a stream open past MLRUN_REQUEST_TIMEOUT_MS, sending heartbeats', async () => {
    const started = Date.now();
    const stream = await open();
    await until(
      () => heartbeatsOf(stream) >= 3 && Date.now() - started > 3 * REQUEST_TIMEOUT_MS,
      10_000,
    );
    expect(stream.status).toBe(200);
    expect(stream.ended).toBe(false);
  });
});

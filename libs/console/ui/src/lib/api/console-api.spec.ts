import { ApiError } from './api-error';
import { createConsoleApi, type StreamEvent } from './console-api';
import { streamOutcome } from './stream-retry';

type Answer = Response | Error;

// A fetch that answers from a queue and records what it was sent.
function fakeFetch(answers: Answer[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

function sse(text: string): Response {
  return new Response(text, { headers: { 'content-type': 'text/event-stream' } });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function setup(answers: Answer[], token: string | null = 'mlr_t') {
  const { fetch, calls } = fakeFetch(answers);
  const unauthorized: ApiError[] = [];
  const waits: number[] = [];
  const api = createConsoleApi({
    token: () => token ?? undefined,
    onUnauthorized: (error) => unauthorized.push(error),
    fetch,
    backoff: { initialMs: 100, maxMs: 400, resetAfterMs: 60_000 },
    wait: async (ms) => {
      waits.push(ms);
    },
  });
  return { api, calls, unauthorized, waits };
}

describe('createConsoleApi', () => {
  it('sends the token and parses JSON answers', async () => {
    const { api, calls } = setup([json(200, { models: [] })]);
    await expect(api.get('/v1/models')).resolves.toEqual({ models: [] });
    expect(new Headers(calls[0].init.headers).get('authorization')).toBe('Bearer mlr_t');
  });

  it('sends a Blob as its bytes with its type, and objects as JSON', async () => {
    const { api, calls } = setup([json(201, {}), json(200, {})]);
    await api.send('POST', '/v1/models', new Blob(['zip'], { type: 'application/zip' }));
    await api.send('PUT', '/v1/models/iris/aliases/stable', { version: '1' });
    expect(new Headers(calls[0].init.headers).get('content-type')).toBe('application/zip');
    expect(new Headers(calls[1].init.headers).get('content-type')).toBe('application/json');
    expect(calls[1].init.body).toBe('{"version":"1"}');
  });

  it('ends the session on a 401 to a call with the token', async () => {
    const { api, unauthorized } = setup([json(401, { code: 'TOKEN_REVOKED', message: 'revoked' })]);
    await expect(api.get('/v1/models')).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).toHaveLength(1);
  });

  it('ends no session on a 401 to a call without a token', async () => {
    const { api, unauthorized } = setup([json(401, { code: 'X', message: 'no' })], null);
    await expect(api.get('/v1/models')).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).toHaveLength(0);
  });

  it('gives a 403 with the missing scope', async () => {
    const { api } = setup([
      json(
        403,
        { code: 'INSUFFICIENT_SCOPE', message: 'the token does not grant admin' },
        { 'www-authenticate': 'Bearer realm="ml-run", error="insufficient_scope", scope="admin"' },
      ),
    ]);
    await expect(api.get('/console/api/issuer/v1/users')).rejects.toMatchObject({
      status: 403,
      missingScope: 'admin',
    });
  });
});

describe('ConsoleApi.stream', () => {
  it('delivers named events and reconnects with a growing delay after drops', async () => {
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const { api, waits, calls } = setup([
      sse('event: model\ndata: {"n":1}\n\n'),
      new TypeError('fetch failed'),
      json(503, { code: 'UNAVAILABLE', message: 'restarting' }),
      sse(': heartbeat\n\nevent: model\ndata: {"n":2}\n\n'),
      json(404, { code: 'NOT_FOUND', message: 'no such route' }),
    ]);
    await expect(
      api.stream('/v1/models/iris/events', (event) => events.push(event), controller.signal),
    ).rejects.toMatchObject({ status: 404 });
    expect(events).toEqual([
      { event: 'model', data: '{"n":1}' },
      { event: 'model', data: '{"n":2}' },
    ]);
    expect(waits).toEqual([100, 200, 400, 400]);
    expect(new Headers(calls[0].init.headers).get('accept')).toBe('text/event-stream');
  });

  it('stops when the caller aborts from an event', async () => {
    const controller = new AbortController();
    const { api, calls } = setup([sse('event: done\ndata: {}\n\n'), sse('')]);
    await api.stream('/v1/builds/b/events', () => controller.abort(), controller.signal);
    expect(calls).toHaveLength(1);
  });

  it('ends the session and stops on a 401', async () => {
    const { api, unauthorized } = setup([json(401, { code: 'TOKEN_EXPIRED', message: 'expired' })]);
    await expect(
      api.stream('/v1/models/iris/events', () => undefined, new AbortController().signal),
    ).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).toHaveLength(1);
  });
});

describe(streamOutcome.name, () => {
  it.each([
    [new ApiError(0, 'NETWORK_ERROR', 'down'), 'retry'],
    [new ApiError(503, 'X', 'busy'), 'retry'],
    [new ApiError(429, 'X', 'slow down'), 'retry'],
    [new ApiError(401, 'X', 'expired'), 'end-session'],
    [new ApiError(403, 'X', 'scope'), 'fail'],
    [new ApiError(404, 'X', 'gone'), 'fail'],
    [new TypeError('network'), 'retry'],
  ])('%s → %s', (error, outcome) => {
    expect(streamOutcome(error)).toBe(outcome);
  });
});

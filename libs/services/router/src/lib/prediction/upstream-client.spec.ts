import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';

import { createUpstream, retireUpstream, type Upstream } from '../balancing/upstream';
import { RequestBody } from './request-body';
import {
  sendUpstream,
  UpstreamError,
  type ForwardedRequest,
  type UpstreamAnswer,
} from './upstream-client';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const BYTES = Buffer.from([0, 255, 1]);

// A caller's 3-byte body with its content-length, as the router's parser hands it over.
const request = (): ForwardedRequest => ({
  headers: { 'content-type': 'application/octet-stream' },
  body: new RequestBody(Readable.from([BYTES]), 1024, BYTES.length),
});

// sendUpstream hands the answer's body over as a stream (only wholeIfArrived makes a Buffer).
const bodyOf = (answer: UpstreamAnswer) => text(answer.body as Readable);

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => new Error('answered'),
    (reason: unknown) => reason,
  );
  if (error instanceof UpstreamError) return error;
  throw error;
}

describe(sendUpstream.name, () => {
  let server: Server;
  let handler: Handler;
  let upstream: Upstream;

  beforeAll(async () => {
    server = createServer((request, response) => handler(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    upstream = createUpstream(`http://127.0.0.1:${port}`) as Upstream;
  });
  afterAll(async () => {
    retireUpstream(upstream);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the raw bytes to /v1/predict and passes back status, body and three headers', async () => {
    let seen: { path?: string; length?: string; body?: Buffer } = {};
    handler = (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen = {
          path: request.url,
          length: request.headers['content-length'],
          body: Buffer.concat(chunks),
        };
        response.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': 'Bearer error="invalid_token"',
          'retry-after': '3',
          'set-cookie': 'session=1',
          server: 'replica',
        });
        response.end('{"code":"INVALID_TOKEN"}');
      });
    };
    const answer = await sendUpstream(upstream, request(), 1000);
    expect(await bodyOf(answer)).toBe('{"code":"INVALID_TOKEN"}');
    expect(seen).toEqual({ path: '/v1/predict', length: '3', body: BYTES });
    expect(answer.status).toBe(401);
    expect(answer.headers).toEqual({
      'content-type': 'application/json',
      'www-authenticate': 'Bearer error="invalid_token"',
      'retry-after': '3',
    });
  });

  it('reports a refused connection as a connect failure', async () => {
    const closed = createUpstream('http://127.0.0.1:1') as Upstream;
    const error = await failureOf(sendUpstream(closed, request(), 1000));
    expect(error.kind).toBe('connect');
    expect(error.message).toContain('ECONNREFUSED');
    retireUpstream(closed);
  });

  it('reports a connection cut before any answer as a connect failure', async () => {
    handler = (request) => request.socket.destroy();
    const error = await failureOf(sendUpstream(upstream, request(), 1000));
    expect(error.kind).toBe('connect');
  });

  it('passes an answer on as it comes, and fails its body when the replica cuts it short', async () => {
    let cut = () => undefined as unknown;
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
      cut = () => response.socket?.destroy();
    };
    const answer = await sendUpstream(upstream, request(), 1000);
    expect(answer.status).toBe(200);
    const received = bodyOf(answer);
    cut();
    await expect(received).rejects.toThrow();
  });

  it('refuses an answer whose declared length is over the cap before passing a byte on', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '4096' });
      response.end(Buffer.alloc(4096, 'x'));
    };
    const error = await failureOf(sendUpstream(upstream, request(), 5_000, 1024));
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe('the answer is larger than 1024 bytes (MLRUN_MAX_ANSWER_BYTES)');
    handler = (_request, response) => response.end(Buffer.alloc(1024, 'y'));
    const answer = await sendUpstream(upstream, request(), 5_000, 1024);
    expect((await bodyOf(answer)).length).toBe(1024);
  });

  it('cuts a chunked answer at the cap instead of buffering it', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write(Buffer.alloc(1000, 'x'));
      setTimeout(() => response.end(Buffer.alloc(1000, 'x')), 20);
    };
    const answer = await sendUpstream(upstream, request(), 5_000, 1024);
    expect(answer.headers['content-length']).toBeUndefined();
    await expect(bodyOf(answer)).rejects.toThrow(
      'the answer is larger than 1024 bytes (MLRUN_MAX_ANSWER_BYTES)',
    );
  });

  it('streams a chunked body to the replica as the caller sends it', async () => {
    const caller = new PassThrough();
    const chunks: string[] = [];
    handler = (incoming, response) => {
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        chunks.push(chunk);
        // The replica holds the first chunk before the caller has sent the second.
        if (chunks.length === 1) caller.end('second');
      });
      incoming.on('end', () => response.end(String(incoming.headers['transfer-encoding'])));
    };
    const body = new RequestBody(caller, 1024, undefined);
    caller.write('first');
    const answer = await sendUpstream(upstream, { headers: {}, body }, 5_000);
    expect(await bodyOf(answer)).toBe('chunked');
    expect(chunks).toEqual(['first', 'second']);
  });

  it('cuts a chunked body at the body cap without passing the rest on', async () => {
    let received = 0;
    handler = (incoming) => incoming.on('data', (chunk: Buffer) => (received += chunk.length));
    const caller = new PassThrough();
    const body = new RequestBody(caller, 1024, undefined);
    const sent = failureOf(sendUpstream(upstream, { headers: {}, body }, 5_000));
    caller.write(Buffer.alloc(1000));
    caller.write(Buffer.alloc(1000));
    const error = await sent;
    expect(error.kind).toBe('body-too-large');
    expect(error.message).toBe('request body is larger than 1024 bytes');
    expect(received).toBeLessThanOrEqual(1000);
  });

  it('gives up after the timeout', async () => {
    handler = (_request, response) => void setTimeout(() => response.end('late'), 2_000);
    const started = Date.now();
    const error = await failureOf(sendUpstream(upstream, request(), 100));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('no answer within 100 ms');
    // Well before the answer would come: the bound leaves room for a busy machine.
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

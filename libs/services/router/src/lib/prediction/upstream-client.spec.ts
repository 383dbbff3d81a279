import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createUpstream, retireUpstream, type Upstream } from '../balancing/upstream';
import { sendUpstream, UpstreamError } from './upstream-client';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const REQUEST = {
  headers: { 'content-type': 'application/octet-stream' },
  body: Buffer.from([0, 255, 1]),
};

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
    const answer = await sendUpstream(upstream, REQUEST, 1000);
    expect(seen).toEqual({ path: '/v1/predict', length: '3', body: REQUEST.body });
    expect(answer.status).toBe(401);
    expect(answer.body.toString()).toBe('{"code":"INVALID_TOKEN"}');
    expect(answer.headers).toEqual({
      'content-type': 'application/json',
      'www-authenticate': 'Bearer error="invalid_token"',
      'retry-after': '3',
    });
  });

  it('reports a refused connection as a connect failure', async () => {
    const closed = createUpstream('http://127.0.0.1:1') as Upstream;
    const error = await failureOf(sendUpstream(closed, REQUEST, 1000));
    expect(error.kind).toBe('connect');
    expect(error.message).toContain('ECONNREFUSED');
    retireUpstream(closed);
  });

  it('reports a connection cut before any answer as a connect failure', async () => {
    handler = (request) => request.socket.destroy();
    const error = await failureOf(sendUpstream(upstream, REQUEST, 1000));
    expect(error.kind).toBe('connect');
  });

  it('reports a connection cut after the answer began as broken', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
      setTimeout(() => response.socket?.destroy(), 20);
    };
    const error = await failureOf(sendUpstream(upstream, REQUEST, 1000));
    expect(error.kind).toBe('broken');
  });

  it('cuts off an answer longer than the cap instead of buffering it', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(Buffer.alloc(4096, 'x'));
    };
    const error = await failureOf(sendUpstream(upstream, REQUEST, 5_000, 1024));
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe('the answer is larger than 1024 bytes (MLRUN_MAX_ANSWER_BYTES)');
    handler = (_request, response) => response.end(Buffer.alloc(1024, 'y'));
    expect((await sendUpstream(upstream, REQUEST, 5_000, 1024)).body.length).toBe(1024);
  });

  it('gives up after the timeout', async () => {
    handler = (_request, response) => void setTimeout(() => response.end('late'), 2_000);
    const started = Date.now();
    const error = await failureOf(sendUpstream(upstream, REQUEST, 100));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('no answer within 100 ms');
    // Well before the answer would come: the bound leaves room for a busy machine.
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

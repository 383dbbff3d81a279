// A tiny HTTP server for specs: canned answers by "METHOD /path", every request recorded.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { CommonErrorCode } from '@ml-run/error-codes';

export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
};

export type FakeReply = {
  status?: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  /** Server-sent events, written one by one. */
  sse?: { event: string; data: unknown }[];
};

export type FakeRoutes = Record<string, (req: RecordedRequest) => FakeReply | Promise<FakeReply>>;

export type FakeServer = { url: string; requests: RecordedRequest[]; close(): Promise<void> };

export async function startFakeServer(routes: FakeRoutes): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const route = routes[`${recorded.method} ${recorded.path}`];
      const reply = route
        ? await route(recorded)
        : {
            status: 404,
            json: { code: CommonErrorCode.NotFound, message: `no route ${recorded.path}` },
          };
      await respond(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function respond(res: http.ServerResponse, reply: FakeReply): Promise<void> {
  const status = reply.status ?? 200;
  if (reply.sse !== undefined) {
    res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const { event, data } of reply.sse) {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      await sleep(2);
    }
    res.end();
    return;
  }
  if (reply.json !== undefined) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.json));
    return;
  }
  res.writeHead(status, { 'content-type': reply.contentType ?? 'text/plain' });
  res.end(reply.text ?? '');
}

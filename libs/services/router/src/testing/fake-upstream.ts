import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export type SeenRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
};

export type FakeAnswer = {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Sent without a content-length, in two halves 200 ms apart; default: with one, as a wrapper answers. */
  chunked?: boolean;
};

/**
 * A replica stand-in on node:http: records every request and answers `{servedBy, body}`
 * unless a handler says otherwise. A body `sleep:<ms>` makes it wait before answering.
 */
export class FakeUpstream {
  /** Requests whose body arrived whole. */
  readonly seen: SeenRequest[] = [];
  /** Requests that began arriving, whole or not. */
  arrived = 0;
  /** Requests whose body never arrived whole (the router gave up on them). */
  aborted = 0;
  handler?: (request: SeenRequest) => FakeAnswer;
  /** Answered before the body is read, as a replica's access check refuses a bad token. */
  refusal?: { status: number; body: string };
  private server?: Server;
  private address = '';

  constructor(readonly name: string) {}

  get url(): string {
    return this.address;
  }

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      this.arrived++;
      this.answer(request, response).catch(() => {
        this.aborted++;
        response.destroy();
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.address;
  }

  /** Stops listening and cuts every connection: what a crashed replica looks like. */
  async kill(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.refusal) {
      const body = Buffer.from(this.refusal.body);
      response.writeHead(this.refusal.status, {
        'content-type': 'application/json',
        'content-length': String(body.length),
        connection: 'close',
      });
      response.end(body);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const seen: SeenRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.seen.push(seen);
    const sleep = /^sleep:(\d+)$/.exec(seen.body);
    if (sleep) await delay(Number(sleep[1]));
    const answer = this.handler?.(seen) ?? {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ servedBy: this.name, body: seen.body }),
    };
    const body = Buffer.from(answer.body ?? '');
    if (answer.chunked) {
      response.writeHead(answer.status ?? 200, answer.headers ?? {});
      response.write(body.subarray(0, body.length >> 1));
      // Apart, so the router passes the first half on before the second arrives.
      await delay(200);
      response.end(body.subarray(body.length >> 1));
      return;
    }
    response.writeHead(answer.status ?? 200, {
      ...answer.headers,
      'content-length': String(body.length),
    });
    response.end(body);
  }
}

/** Starts one fake replica per name. */
export async function startFakeUpstreams(...names: string[]): Promise<FakeUpstream[]> {
  const upstreams = names.map((name) => new FakeUpstream(name));
  await Promise.all(upstreams.map((upstream) => upstream.start()));
  return upstreams;
}

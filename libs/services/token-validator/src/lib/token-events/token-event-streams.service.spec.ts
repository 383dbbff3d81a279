import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';

import { MemoryEventBus } from '@ml-run/event-bus';
import { LongLivedStreams } from '@ml-run/server';
import { TOKEN_EVENTS_TOPIC } from '@ml-run/token-contract';

import { TokenEventStreams } from './token-event-streams.service';

const HEARTBEAT_INTERVAL_MS = 15_000;

// Just enough of Node's ServerResponse to watch what a stream writes.
class FakeResponse extends EventEmitter {
  readonly chunks: string[] = [];
  status: number | undefined;
  headers: Record<string, unknown> = {};
  writableEnded = false;
  destroyed = false;
  writableLength = 0;

  setHeader(name: string, value: unknown): void {
    this.headers[name] = value;
  }
  writeHead(status: number, headers: Record<string, unknown>): this {
    this.status = status;
    Object.assign(this.headers, headers);
    return this;
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.writableEnded = true;
    this.emit('close');
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

function fakeReply(response: FakeResponse): FastifyReply {
  const reply = {
    raw: response,
    hijacked: false,
    hijack: () => void (reply.hijacked = true),
    request: { id: 'r1', headers: {} },
    getHeaders: () => ({ 'x-request-id': 'r1' }),
  };
  return reply as unknown as FastifyReply;
}

describe(TokenEventStreams.name, () => {
  let bus: MemoryEventBus;
  let sut: TokenEventStreams;
  let limits: LongLivedStreams;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    bus = new MemoryEventBus();
    limits = new LongLivedStreams({
      maxPerCredential: 8,
      heartbeatMs: HEARTBEAT_INTERVAL_MS,
    });
    sut = new TokenEventStreams(bus, new Registry(), limits);
  });
  afterEach(() => {
    sut.beforeApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('opens with headers, the request id and the hello', () => {
    const response = new FakeResponse();
    sut.open(fakeReply(response));
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-request-id': 'r1',
    });
    expect(response.chunks).toEqual([expect.stringMatching(/^retry: \d+\n/)]);
  });

  it('writes a heartbeat every MLRUN_STREAM_HEARTBEAT_MS while idle', () => {
    const response = new FakeResponse();
    sut.open(fakeReply(response));
    jest.advanceTimersByTime(HEARTBEAT_INTERVAL_MS * 2);
    expect(response.chunks.slice(1)).toEqual([': heartbeat\n\n', ': heartbeat\n\n']);
  });

  it('stops its heartbeat and subscription when the client goes away', async () => {
    const response = new FakeResponse();
    sut.open(fakeReply(response));
    response.emit('close');
    expect(sut.size).toBe(0);
    jest.advanceTimersByTime(HEARTBEAT_INTERVAL_MS * 2);
    await bus.publish(TOKEN_EVENTS_TOPIC, { type: 'token.revoked' });
    expect(response.chunks).toHaveLength(1);
  });

  it('drops a client too far behind instead of buffering without bound', async () => {
    const response = new FakeResponse();
    sut.open(fakeReply(response));
    response.writableLength = 2 * 1024 * 1024;
    await bus.publish(TOKEN_EVENTS_TOPIC, { type: 'token.revoked' });
    expect(response.destroyed).toBe(true);
    expect(sut.size).toBe(0);
  });

  it('ends every stream at shutdown and refuses new ones', () => {
    const response = new FakeResponse();
    sut.open(fakeReply(response));
    sut.beforeApplicationShutdown();
    expect(response.writableEnded).toBe(true);
    expect(sut.size).toBe(0);
    expect(() => sut.open(fakeReply(new FakeResponse()))).toThrow(/shutting down/);
  });

  it('ends its streams when the bus reports a gap, so wrappers drop their caches', () => {
    const gaps: (() => void)[] = [];
    const gappy = {
      subscribe: (_topic: string, _handler: unknown, options?: { onGap?: () => void }) => {
        if (options?.onGap) gaps.push(options.onGap);
        return () => undefined;
      },
    };
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const streams = new TokenEventStreams(gappy, new Registry(), limits);
    const response = new FakeResponse();
    streams.open(fakeReply(response));
    expect(gaps).toHaveLength(1);
    gaps[0]?.();
    expect(response.writableEnded).toBe(true);
    expect(streams.size).toBe(0);
  });
});

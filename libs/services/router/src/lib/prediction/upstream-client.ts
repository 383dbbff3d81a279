import {
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { Upstream } from '../balancing/upstream';

/** What the router sends on: the raw body and the headers it passes through. */
export type ForwardedRequest = { headers: Record<string, string>; body: Buffer };

/** What the replica answered, with only the headers the router passes back. */
export type UpstreamAnswer = { status: number; headers: Record<string, string>; body: Buffer };

/**
 * `connect`: nobody took the request (safe to send elsewhere); `timeout`: no full answer in
 * time; `broken`: the replica started answering and then failed (never retried).
 */
export type UpstreamFailureKind = 'connect' | 'timeout' | 'broken' | 'too-large';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    /** The failure hit a reused keep-alive socket: says nothing about the replica's health. */
    readonly staleSocket = false,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

// Failures before any answer that mean the replica never took the request.
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const PASSED_BACK = ['content-type', 'www-authenticate', 'retry-after'] as const;

type Exchange = { call?: ClientRequest; answered: boolean; timedOut: boolean };

/**
 * POSTs the request to the replica's /v1/predict and reads the whole answer, refusing one
 * longer than `maxAnswerBytes` (a replica must not make the router buffer without bound).
 */
export function sendUpstream(
  upstream: Upstream,
  request: ForwardedRequest,
  timeoutMs: number,
  maxAnswerBytes = Number.POSITIVE_INFINITY,
): Promise<UpstreamAnswer> {
  const send = upstream.target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { ...request.headers, 'content-length': String(request.body.length) };
  return new Promise((resolve, reject) => {
    const exchange: Exchange = { answered: false, timedOut: false };
    const timer = setTimeout(() => {
      exchange.timedOut = true;
      exchange.call?.destroy(new Error('upstream timeout'));
    }, timeoutMs);
    const fail = (error: NodeJS.ErrnoException): void => {
      clearTimeout(timer);
      reject(classify(error, exchange, timeoutMs));
    };
    exchange.call = send(
      upstream.target,
      { method: 'POST', agent: upstream.agent, headers },
      (response) => {
        exchange.answered = true;
        readAnswer(response, maxAnswerBytes).then((answer) => {
          clearTimeout(timer);
          resolve(answer);
        }, fail);
      },
    );
    exchange.call.on('error', fail);
    exchange.call.end(request.body);
  });
}

async function readAnswer(
  response: IncomingMessage,
  maxAnswerBytes: number,
): Promise<UpstreamAnswer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response) {
    bytes += (chunk as Buffer).length;
    if (bytes > maxAnswerBytes) {
      response.destroy();
      throw new UpstreamError(
        'too-large',
        `the answer is larger than ${maxAnswerBytes} bytes (MLRUN_MAX_ANSWER_BYTES)`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return {
    status: response.statusCode ?? 502,
    headers: passedBack(response.headers),
    body: Buffer.concat(chunks),
  };
}

function passedBack(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of PASSED_BACK) {
    const value = headers[name];
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

function classify(
  error: NodeJS.ErrnoException,
  exchange: Exchange,
  timeoutMs: number,
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (exchange.timedOut) return new UpstreamError('timeout', `no answer within ${timeoutMs} ms`);
  if (!exchange.answered && CONNECT_FAILURES.has(error.code ?? '')) {
    const stale = exchange.call?.reusedSocket ?? false;
    return new UpstreamError('connect', `${error.code}: ${error.message}`, stale);
  }
  return new UpstreamError('broken', error.message);
}

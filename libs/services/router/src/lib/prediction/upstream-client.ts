import {
  request as httpRequest,
  IncomingMessage,
  type ClientRequest,
  type IncomingHttpHeaders,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform, type Readable, type TransformCallback } from 'node:stream';

import type { Upstream } from '../balancing/upstream';
import { BodyTooLargeError, CallerGoneError, type RequestBody } from './request-body';

/** What the router sends on: the caller's body as it arrives and the headers it passes through. */
export type ForwardedRequest = { headers: Record<string, string>; body: RequestBody };

/**
 * What the replica answered, with only the headers the router passes back; the body is
 * passed on as it arrives (and ends early, destroyed, when it outgrows the cap or the time),
 * or whole when it had all arrived by the time it was looked at (wholeIfArrived).
 */
export type UpstreamAnswer = {
  status: number;
  headers: Record<string, string>;
  body: Readable | Buffer;
};

/**
 * `connect`: nobody took the request (safe to send elsewhere); `timeout`: no full answer in
 * time; `broken`: the replica started answering and then failed (never retried).
 */
export type UpstreamFailureKind =
  'connect' | 'timeout' | 'broken' | 'too-large' | 'body-too-large' | 'caller-gone';

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

const PASSED_BACK = ['content-type', 'content-length', 'www-authenticate', 'retry-after'] as const;

type Exchange = {
  call?: ClientRequest;
  answered: boolean;
  timedOut: boolean;
  timer?: NodeJS.Timeout;
  body: RequestBody;
  reject: (error: UpstreamError) => void;
  timeoutMs: number;
};

/**
 * POSTs the request to the replica's /v1/predict, streaming its body, and resolves with the
 * answer's head; the answer's body follows as a stream. An answer whose content-length is over
 * `maxAnswerBytes` is refused before a byte is passed on; one without a length is cut there.
 * `timeoutMs` bounds the whole exchange: past it before the head, a timeout; after, the
 * answer is cut.
 */
export function sendUpstream(
  upstream: Upstream,
  request: ForwardedRequest,
  timeoutMs: number,
  maxAnswerBytes = Number.POSITIVE_INFINITY,
): Promise<UpstreamAnswer> {
  const send = upstream.endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
  const { body } = request;
  return new Promise((resolve, reject) => {
    const exchange: Exchange = { answered: false, timedOut: false, body, reject, timeoutMs };
    exchange.timer = setTimeout(() => {
      exchange.timedOut = true;
      exchange.call?.destroy(new Error('upstream timeout'));
    }, timeoutMs);
    exchange.call = send(requestOptions(upstream, request), (response) => {
      exchange.answered = true;
      try {
        resolve(answerOf(response, maxAnswerBytes));
      } catch (error) {
        return failExchange(exchange, error as NodeJS.ErrnoException);
      }
      // The exchange's time bound holds while the answer streams; it ends with the answer.
      response.once('close', () => clearTimeout(exchange.timer));
    });
    exchange.call.on('error', (error: NodeJS.ErrnoException) => {
      if (!exchange.answered) failExchange(exchange, error);
    });
    body.sendTo(exchange.call);
  });
}

// Module-level, not a closure per exchange: the build keeps function names, which costs a
// named closure about a microsecond each time it is made.
function failExchange(exchange: Exchange, error: NodeJS.ErrnoException): void {
  clearTimeout(exchange.timer);
  exchange.body.detach();
  exchange.reject(classify(error, exchange, exchange.timeoutMs));
}

function requestOptions(upstream: Upstream, request: ForwardedRequest): RequestOptions {
  const { endpoint } = upstream;
  return {
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port,
    path: endpoint.path,
    method: 'POST',
    agent: upstream.agent,
    headers: rawHeaders(endpoint.host, request),
  };
}

// As [name, value, ...]: Node writes such a list as it is, where an object's headers are
// validated and stored one by one (a few µs per request). It then adds no Host either, so
// the replica's is first. The caller's length when it declared one; without, Node sends
// the body chunked.
function rawHeaders(host: string, { headers, body }: ForwardedRequest): string[] {
  const raw = ['host', host];
  for (const name in headers) raw.push(name, headers[name] as string);
  if (body.length !== undefined) raw.push('content-length', String(body.length));
  return raw;
}

function answerOf(response: IncomingMessage, maxAnswerBytes: number): UpstreamAnswer {
  const declared = Number(response.headers['content-length'] ?? Number.NaN);
  if (declared > maxAnswerBytes) {
    response.destroy();
    throw tooLarge(maxAnswerBytes);
  }
  return {
    status: response.statusCode ?? 502,
    headers: passedBack(response.headers),
    // A declared length is held to by the parser; only an undeclared one needs counting.
    body: Number.isNaN(declared)
      ? response.pipe(new AnswerCap(maxAnswerBytes, response))
      : response,
  };
}

/**
 * The answer with its body as one Buffer when the replica's whole answer has already arrived
 * (a usual prediction: head and body in one packet), else as it was. The bytes are in memory
 * either way; one write of a Buffer costs the router far less than a piped stream.
 */
export function wholeIfArrived(answer: UpstreamAnswer): UpstreamAnswer {
  const { body } = answer;
  if (!(body instanceof IncomingMessage) || !body.complete || body.errored) return answer;
  const whole = (body.read() as Buffer | null) ?? EMPTY;
  body.resume(); // lets it end and close, which ends the exchange's timer
  return { ...answer, body: whole };
}

const EMPTY = Buffer.alloc(0);

function tooLarge(maxAnswerBytes: number): UpstreamError {
  return new UpstreamError(
    'too-large',
    `the answer is larger than ${maxAnswerBytes} bytes (MLRUN_MAX_ANSWER_BYTES)`,
  );
}

// Passes a chunked answer on, and fails it (cutting the caller's connection) at the cap.
class AnswerCap extends Transform {
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly source: IncomingMessage,
  ) {
    super();
    // Kept in `errored` until the answer is sent: the cap can be hit before anyone listens.
    this.on('error', () => undefined);
    source.once('error', (error) => this.destroy(error));
    source.once('close', () => {
      if (!source.complete) this.destroy(new Error('the replica cut its answer short'));
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.source.destroy();
      return done(tooLarge(this.maxBytes));
    }
    done(null, chunk);
  }

  // The caller went away: stop reading the replica too, or its socket stays taken.
  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    if (!this.source.complete) this.source.destroy();
    callback(error);
  }
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
  if (error instanceof BodyTooLargeError) return new UpstreamError('body-too-large', error.message);
  if (error instanceof CallerGoneError) return new UpstreamError('caller-gone', error.message);
  if (exchange.timedOut) return new UpstreamError('timeout', `no answer within ${timeoutMs} ms`);
  if (!exchange.answered && CONNECT_FAILURES.has(error.code ?? '')) {
    const stale = exchange.call?.reusedSocket ?? false;
    return new UpstreamError('connect', `${error.code}: ${error.message}`, stale);
  }
  return new UpstreamError('broken', error.message);
}

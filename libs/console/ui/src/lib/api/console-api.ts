import { createParser } from 'eventsource-parser';

import { RestartBackoff, type BackoffOptions } from '@ml-run/async';

import { ApiError, errorFromResponse, networkError } from './api-error';
import { streamOutcome } from './stream-retry';

/** One server-sent event: its name (`message` when the server named none) and data. */
export type StreamEvent = { event: string; data: string };

/**
 * The console's calls to its one origin (the builder: its own API and the /console/api
 * proxies), each with the session's bearer token in the Authorization header.
 */
export type ConsoleApi = {
  /** @example api.get<ModelListResponse>('/v1/models') */
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  /** A plain object is sent as JSON, a Blob as its bytes (with its type), a URLSearchParams as a form. */
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /**
   * Reads an SSE stream until `signal` aborts, reconnecting with a backoff when it drops
   * or ends. Rejects with an ApiError on a refusal a retry cannot fix (403, 404, ...).
   */
  stream(path: string, onEvent: (event: StreamEvent) => void, signal: AbortSignal): Promise<void>;
};

export type ConsoleApiOptions = {
  /** The session's token, read at each call (undefined: signed out). */
  token(): string | undefined;
  /** Any 401 to a call that carried the token: it expired or was revoked; the session ends. */
  onUnauthorized(error: ApiError): void;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  /** Waits before a reconnect; resolves early when the signal aborts. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
};

// Reconnects start fast (a builder restart) and stay calm (a builder that is down); a
// stream that stayed up for a while starts over from the short delay.
export const STREAM_BACKOFF: BackoffOptions = {
  initialMs: 500,
  maxMs: 10_000,
  resetAfterMs: 30_000,
};

export function createConsoleApi(options: ConsoleApiOptions): ConsoleApi {
  const call = authorizedCall(options);
  const wait = options.wait ?? abortableDelay;
  return {
    get: async <T>(path: string, signal?: AbortSignal) =>
      parseAnswer<T>(await call(path, { headers: { accept: 'application/json' }, signal })),
    send: async <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      parseAnswer<T>(await call(path, { method, ...requestBody(body) })),
    async stream(path, onEvent, signal) {
      const backoff = new RestartBackoff(options.backoff ?? STREAM_BACKOFF);
      while (!signal.aborted) {
        const openedAt = Date.now();
        try {
          await readStream(await call(path, { headers: SSE_HEADERS, signal }), onEvent, signal);
        } catch (error) {
          if (signal.aborted) return;
          if (streamOutcome(error) !== 'retry') throw error;
        }
        if (signal.aborted) return;
        // A clean end reconnects too: the server closes streams at its limits.
        await wait(backoff.next(Date.now() - openedAt), signal);
      }
    },
  };
}

const SSE_HEADERS = { accept: 'text/event-stream' };

// fetch with the token; a non-2xx answer becomes an ApiError (a 401 ends the session).
function authorizedCall(options: ConsoleApiOptions) {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  return async (path: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    const token = options.token();
    if (token) headers.set('authorization', `Bearer ${token}`);
    let response: Response;
    try {
      response = await fetchImpl(path, { ...init, headers, cache: 'no-store' });
    } catch (cause) {
      if (init.signal?.aborted) throw cause;
      throw networkError(cause);
    }
    if (response.ok) return response;
    const error = errorFromResponse(
      response.status,
      response.headers.get('www-authenticate'),
      await response.text().catch(() => ''),
    );
    // A 401 to a call without a token (signed out) ends no session.
    if (error.status === 401 && token) options.onUnauthorized(error);
    throw error;
  };
}

async function readStream(
  response: Response,
  onEvent: (event: StreamEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  if (!response.body) return;
  const parser = createParser({
    onEvent: (message) => onEvent({ event: message.event ?? 'message', data: message.data }),
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done || signal.aborted) return;
    parser.feed(value);
  }
}

function requestBody(body: unknown): { body?: BodyInit; headers: Record<string, string> } {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body === undefined) return { headers };
  if (body instanceof Blob) {
    headers['content-type'] = body.type || 'application/octet-stream';
    return { body, headers };
  }
  if (body instanceof URLSearchParams) return { body, headers };
  headers['content-type'] = 'application/json';
  return { body: JSON.stringify(body), headers };
}

async function parseAnswer<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (text === '') return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? JSON.parse(text) : text) as T;
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

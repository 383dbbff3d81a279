import { ApiError } from './api-error';

/**
 * What an event stream does after it stopped: `retry` reconnects after a backoff (the
 * server restarted, the network dropped, the stream was closed by a limit), `end-session`
 * for a 401 (the token expired or was revoked: every call would fail the same way), and
 * `fail` for a refusal a retry cannot fix (403, 404, a bad request).
 */
export type StreamOutcome = 'retry' | 'end-session' | 'fail';

export function streamOutcome(error: unknown): StreamOutcome {
  if (!(error instanceof ApiError)) return 'retry';
  if (error.status === 401) return 'end-session';
  if (error.status === 0 || error.status === 408 || error.status === 429) return 'retry';
  return error.status >= 500 ? 'retry' : 'fail';
}

import { RegistryErrorCode, type ModelRecord } from '@ml-run/registry-contract';

import { ApiError } from '../api/api-error';

/** How often the model page asks again when the builder has no model events stream. */
export const POLL_INTERVAL_MS = 2_000;

/**
 * What the model page does after its events stream stopped for good (the client already
 * retried what a retry can fix): show the refusal (no right to read it, no such model;
 * a 401 has ended the session already), or poll `GET /v1/models/{name}` instead when
 * the stream itself is missing (a builder without `/events`).
 */
export function afterStreamFailure(error: unknown): 'poll' | 'fail' {
  if (!(error instanceof ApiError)) return 'poll';
  if (error.status === 401 || error.status === 403) return 'fail';
  if (error.code === RegistryErrorCode.ModelNotFound) return 'fail';
  return 'poll';
}

/** Parses one SSE event of `GET /v1/models/{name}/events`; undefined for other events. */
export function parseModelEvent(event: string, data: string): ModelRecord | undefined {
  if (event !== 'model') return undefined;
  const parsed = JSON.parse(data) as ModelRecord;
  return typeof parsed.name === 'string' && Array.isArray(parsed.versions) ? parsed : undefined;
}

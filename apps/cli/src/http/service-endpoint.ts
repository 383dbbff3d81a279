import { CliError } from '../cli.errors';
import { ApiError } from './api.errors';

/** One service the CLI calls: its name for messages, base URL and bearer token. */
export type ServiceEndpoint = { label: string; baseUrl: string; token?: string };

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/**
 * Sends one request; a non-2xx answer throws ApiError, a refused connection a CliError
 * that says to start ML-RUN.
 */
export async function send(
  service: ServiceEndpoint,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (service.token !== undefined) headers.set('authorization', `Bearer ${service.token}`);
  let response: Response;
  try {
    response = await fetch(`${service.baseUrl}${path}`, { ...init, headers });
  } catch (error) {
    throw networkError(service, error);
  }
  if (!response.ok) throw await ApiError.from(response);
  return response;
}

/** A JSON request (body serialised when given) whose answer is JSON of type T. */
export async function sendJson<T>(
  service: ServiceEndpoint,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const response = await send(service, path, init);
  const text = await response.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    const start = JSON.stringify(text.slice(0, 80));
    throw new CliError(`the ${service.label} answered ${method} ${path} with non-JSON: ${start}`);
  }
}

export function networkError(service: ServiceEndpoint, error: unknown): CliError {
  // Duck-typed: fetch's errors come from another realm under test runners.
  const cause = field(error, 'cause');
  const code = field(cause, 'code');
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    return new CliError(
      `cannot reach the ${service.label} at ${service.baseUrl}: is ML-RUN running? (npm start)`,
    );
  }
  const message = field(cause, 'message') ?? field(error, 'message') ?? error;
  return new CliError(
    `the connection to the ${service.label} at ${service.baseUrl} failed: ${String(message)}`,
  );
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** `/a/{b}` path segments, encoded (versions carry "+"). */
export const segment = (value: string) => encodeURIComponent(value);

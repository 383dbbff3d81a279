import { get } from 'node:http';

/** One look at a replica's /readyz. */
export type ProbeResult =
  | { kind: 'ready' }
  /** It answered, not 200; `initError` is the model's own message once init has failed. */
  | { kind: 'not-ready'; status: number; initError?: string }
  /** Refused, reset or too slow: nothing is listening yet, or the process is stuck. */
  | { kind: 'unreachable'; reason: string };

export type ReadinessProbe = (baseUrl: string, timeoutMs: number) => Promise<ProbeResult>;

const MAX_BODY_CHARS = 64 * 1024;

// node:http without an agent: one short connection per probe, so a dead replica leaves
// no pooled socket behind.
export const httpReadinessProbe: ReadinessProbe = (baseUrl, timeoutMs) =>
  new Promise((resolve) => {
    const request = get(`${baseUrl}/readyz`, { agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < MAX_BODY_CHARS) body += chunk;
      });
      response.on('end', () => resolve(toResult(response.statusCode ?? 0, body)));
      response.on('error', (error) => resolve({ kind: 'unreachable', reason: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ kind: 'unreachable', reason: error.message }));
  });

function toResult(status: number, body: string): ProbeResult {
  if (status === 200) return { kind: 'ready' };
  const initError = initErrorOf(body);
  return initError === undefined
    ? { kind: 'not-ready', status }
    : { kind: 'not-ready', status, initError };
}

// The wrapper answers {"state":"INIT_FAILED","error":{"code":...,"message":...}} (docs/architecture.md §4).
function initErrorOf(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || parsed['state'] !== 'INIT_FAILED') return undefined;
  const error = parsed['error'];
  const message = isObject(error) ? error['message'] : undefined;
  return typeof message === 'string' && message ? message : 'init failed (no reason given)';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

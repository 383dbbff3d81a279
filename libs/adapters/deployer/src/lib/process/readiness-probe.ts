import { get } from 'node:http';

import { WrapperState } from '@ml-run/registry-contract';

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

/** What a probe reports for INIT_FAILED when neither /readyz nor the replica's log says why. */
export const INIT_FAILED_WITHOUT_REASON = 'init failed (no reason given)';

// The wrapper answers {"state":"INIT_FAILED"} on its public /readyz; the model's own error
// text is in its log (initFailureInOutput). Wrappers before that also sent "error".
function initErrorOf(body: string): string | undefined {
  const parsed = parseJson(body);
  if (!isObject(parsed) || parsed['state'] !== WrapperState.InitFailed) return undefined;
  const error = parsed['error'];
  const message = isObject(error) ? error['message'] : undefined;
  return typeof message === 'string' && message ? message : INIT_FAILED_WITHOUT_REASON;
}

/**
 * The model's own init error from a wrapper's output: its JSON log line
 * `{"msg":"model init failed","reason":...}`, the newest one; undefined when none is there.
 */
export function initFailureInOutput(output: string): string | undefined {
  for (const line of output.split('\n').reverse()) {
    const parsed = parseJson(line);
    if (!isObject(parsed) || parsed['msg'] !== 'model init failed') continue;
    const reason = parsed['reason'];
    if (typeof reason === 'string' && reason) return reason;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

import { percentile } from './stats';

/** What a case is loaded with: one endpoint, one body, bearer tokens when auth is on. */
export type LoadTarget = {
  url: string;
  body: string;
  contentType: string;
  /**
   * Bearer tokens, sent in turn request after request ([]: no Authorization header). Several
   * keep concurrent requests on distinct tokens, so cache misses are not folded together.
   */
  tokens: string[];
};

export type ClosedLoadResult = {
  /** Answers of any status in the window. */
  responses: number;
  /** 2xx answers per second of the window. */
  rps: number;
  /** Latency of the 2xx answers, milliseconds. */
  p50Ms: number;
  p99Ms: number;
  /** Every answer's status, counted. */
  byStatus: Record<string, number>;
  /** Answers other than 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** The window as autocannon timed it, seconds. */
  seconds: number;
};

/**
 * A closed loop with autocannon in this process: `connections` keep-alive connections,
 * each sending its next request when its answer arrives. autocannon writes requests from
 * prebuilt buffers and parses answers with a small parser, so it costs the generator less
 * CPU per request than node:http does (runClosedLoop): what lets one core of generator
 * saturate the bare echo. Latencies are kept as floats (autocannon's own histogram has
 * whole milliseconds, too coarse for sub-millisecond answers).
 * `seconds` is rounded up to whole seconds: autocannon stops on its one-second tick.
 *
 * The connections open in RAMP_GROUPS groups RAMP_STEP_MS apart, as clients arrive, not all
 * in one instant: a server whose worker processes share one listening socket (MLflow's and
 * BentoML's uvicorn workers) hands a burst of connections to whichever worker wakes first,
 * and keep-alive pins them there, leaving its other workers idle for the whole window.
 */
export async function runClosedLoad(
  target: LoadTarget,
  connections: number,
  seconds: number,
): Promise<ClosedLoadResult> {
  const groups = Math.min(connections, RAMP_GROUPS);
  const runs = Array.from({ length: groups }, async (_, index) => {
    const share = Math.floor(connections / groups) + (index < connections % groups ? 1 : 0);
    await sleep(index * RAMP_STEP_MS);
    return runOneLoad(target, share, seconds);
  });
  return combined(await Promise.all(runs));
}

export const RAMP_GROUPS = 10;
export const RAMP_STEP_MS = 50;

type OneLoad = { result: autocannon.Result; latencies: number[] };

function runOneLoad(target: LoadTarget, connections: number, seconds: number): Promise<OneLoad> {
  const latencies: number[] = [];
  const headers: Record<string, string> = { 'content-type': target.contentType };
  const [firstToken] = target.tokens;
  if (target.tokens.length === 1) headers['authorization'] = `Bearer ${firstToken}`;
  const options: autocannon.Options = {
    url: target.url,
    method: 'POST',
    body: target.body,
    headers,
    connections,
    duration: Math.max(1, Math.ceil(seconds)),
    timeout: 10,
    ...(target.tokens.length > 1 ? { requests: [rotatingToken(target.tokens)] } : {}),
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result: autocannon.Result) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve({ result, latencies });
    });
    instance.on('response', (_client, statusCode: number, _bytes: number, ms: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
    });
  });
}

// One request template whose Authorization takes the next token each time.
function rotatingToken(tokens: string[]): autocannon.Request {
  let next = 0;
  return {
    setupRequest: (request) => {
      const token = tokens[next++ % tokens.length];
      return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
    },
  };
}

/**
 * The groups' loads as one: counts added, the rate as the sum of each group's own rate
 * (their windows are the same length, RAMP_STEP_MS apart), latencies pooled.
 */
export function combined(loads: readonly OneLoad[]): ClosedLoadResult {
  const byStatus: Record<string, number> = {};
  const latencies: number[] = [];
  let rps = 0;
  let non2xx = 0;
  let errors = 0;
  let seconds = 0;
  for (const { result, latencies: own } of loads) {
    for (const [status, stat] of Object.entries(result.statusCodeStats ?? {}))
      byStatus[status] = (byStatus[status] ?? 0) + (stat.count ?? 0);
    for (const ms of own) latencies.push(ms);
    rps += result['2xx'] / result.duration;
    non2xx += result.non2xx;
    errors += result.errors;
    seconds = Math.max(seconds, result.duration);
  }
  latencies.sort((a, b) => a - b);
  return {
    responses: Object.values(byStatus).reduce((sum, count) => sum + count, 0),
    rps,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    byStatus,
    non2xx,
    errors,
    seconds,
  };
}

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
 */
export function runClosedLoad(
  target: LoadTarget,
  connections: number,
  seconds: number,
): Promise<ClosedLoadResult> {
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
      else resolve(resultOf(result, latencies));
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

function resultOf(result: autocannon.Result, latencies: number[]): ClosedLoadResult {
  const byStatus: Record<string, number> = {};
  for (const [status, stat] of Object.entries(result.statusCodeStats ?? {}))
    byStatus[status] = stat.count ?? 0;
  const responses = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
  latencies.sort((a, b) => a - b);
  const seconds = result.duration;
  return {
    responses,
    rps: result['2xx'] / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    byStatus,
    non2xx: result.non2xx,
    errors: result.errors,
    seconds,
  };
}

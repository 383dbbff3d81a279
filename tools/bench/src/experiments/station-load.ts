// The calibration's two ways of loading one station: saturating it with a few concurrent
// connections (for CPU per completion) and pacing requests far apart (for light-load
// latency). Unlike the loadgen's loops these take any headers and content type, because
// the validator wants its introspection credential and the issuer a JSON login body.
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { post } from '../loadgen/http-post';

/** One kind of request: where, with what headers and body. */
export type StationRequest = { url: string; headers: Record<string, string>; body: string };

export type SaturationResult = { requests: number; failures: number; seconds: number };

/**
 * One loop per request given (so each connection can carry its own token), each posting
 * its next request when the answer came, for `seconds`.
 */
export async function saturate(
  requests: readonly StationRequest[],
  seconds: number,
): Promise<SaturationResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: requests.length });
  let count = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async (request: StationRequest) => {
    while (performance.now() < deadline) {
      const { status } = await post(agent, request.url, request.body, request.headers);
      count++;
      if (status !== 200) failures++;
    }
  };
  try {
    await Promise.all(requests.map(loop));
  } finally {
    agent.destroy();
  }
  return { requests: count, failures, seconds: (performance.now() - started) / 1000 };
}

export type PacedResult = { count: number; failures: number; meanSeconds: number };

/**
 * `count` requests sent on a fixed schedule `rate` per second apart, each timed from its
 * scheduled send to its answer (as the open loop does). At a rate far below the station's
 * capacity requests rarely meet, so the mean is the service time plus the network path,
 * with next to no queueing.
 */
export async function pacedLatency(
  request: StationRequest,
  rate: number,
  count: number,
): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true });
  const latencies: number[] = [];
  let failures = 0;
  const start = performance.now() + 10;
  const one = async (i: number) => {
    const scheduled = start + (i * 1000) / rate;
    await sleep(Math.max(0, scheduled - performance.now()));
    const { status } = await post(agent, request.url, request.body, request.headers);
    if (status === 200) latencies.push((performance.now() - scheduled) / 1000);
    else failures++;
  };
  try {
    await Promise.all(Array.from({ length: count }, (_, i) => one(i)));
  } finally {
    agent.destroy();
  }
  const meanSeconds = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return { count: latencies.length, failures, meanSeconds };
}

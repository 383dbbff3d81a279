import { Agent } from 'node:http';

import { passwordLogin } from './client-session';
import { post, predictHeaders } from './http-post';
import { LoadgenOptionError } from './options';
import type { ClosedLoopOptions, ClosedLoopResult } from './types';

/**
 * A closed-loop load: each connection sends its next request when the previous answer
 * arrives, over keep-alive, so the offered load adapts to the service (throughput at a
 * fixed concurrency; its latency hides queueing that an open loop would show).
 * Latencies in microseconds from a monotonic clock.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const tokens = await connectionTokens(options);
  const agent = new Agent({ keepAlive: true, maxSockets: tokens.length });
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const connection = async (token: string) => {
    const headers = predictHeaders(token);
    while (performance.now() < deadline) {
      const started = performance.now();
      const { status } = await post(agent, options.url, options.body, headers);
      latencies.push((performance.now() - started) * 1000);
      if (status !== 200) failures++;
    }
  };
  const started = performance.now();
  try {
    await Promise.all(tokens.map(connection));
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    failures,
  };
}

// One token per connection: the given ones, else a login per connection (clients cycled),
// else none (auth-off targets).
async function connectionTokens(options: ClosedLoopOptions): Promise<string[]> {
  if (options.tokens) {
    if (options.tokens.length !== options.connections)
      throw new LoadgenOptionError(
        'LOADGEN_TOKENS_MISMATCH',
        `${options.tokens.length} tokens for ${options.connections} connections; give one per connection.`,
      );
    return options.tokens;
  }
  const clients = options.clients ?? [];
  if (clients.length === 0) return Array.from({ length: options.connections }, () => '');
  if (!options.issuerUrl)
    throw new LoadgenOptionError(
      'LOADGEN_NO_ISSUER',
      'clients log in at the issuer: give issuerUrl.',
    );
  const agent = new Agent({ keepAlive: true });
  try {
    const tokens: string[] = [];
    for (let i = 0; i < options.connections; i++) {
      const client = clients[i % clients.length];
      if (client) tokens.push(await passwordLogin(agent, options.issuerUrl, client));
    }
    return tokens;
  } finally {
    agent.destroy();
  }
}

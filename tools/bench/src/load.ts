import { Agent, request } from 'node:http';

export type LoadOptions = {
  url: string;
  body: string;
  /** One bearer token per connection ('' for none): distinct tokens defeat single-flight. */
  tokens: string[];
  seconds: number;
};

export type LoadResult = {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
};

/**
 * A closed-loop load: each connection sends its next request when the previous answer
 * arrives, over keep-alive. Latencies in microseconds from a monotonic clock.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.tokens.length });
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const connection = async (token: string) => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const status = await post(agent, options.url, options.body, token);
      latencies.push((performance.now() - started) * 1000);
      if (status !== 200) failures++;
    }
  };
  const started = performance.now();
  await Promise.all(options.tokens.map(connection));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
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

function post(agent: Agent, url: string, body: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'text/plain',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (token) headers['authorization'] = `Bearer ${token}`;
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

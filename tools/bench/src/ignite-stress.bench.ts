// Does apache-ignite-client (protocol 1.2) ever hand one request's answer to another when
// thousands are in flight on one connection? Puts N keys whose values name their key, then
// fires rounds of concurrent gets (and a mixed get/put round) and checks every answer.
// It measures the client as installed: the stock 1.0.0 loses connections at high in-flight
// counts (a length prefix split across TCP chunks), which patches/apache-ignite-client+1.0.0.patch
// fixes.
// npm run services:up -- model-ignite && node tools/bench/run.mjs ignite-stress -- [--keys 20000] [--inflight 5000] [--rounds 5]
import { parseArgs } from 'node:util';
import IgniteClient from 'apache-ignite-client';

const { values: flags } = parseArgs({
  options: {
    // The models' Ignite: no login needed, and the client's framing is the same on either.
    endpoint: { type: 'string', default: '127.0.0.1:10900' },
    cache: { type: 'string', default: 'mlrun-stress' },
    keys: { type: 'string', default: '20000' },
    inflight: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '5' },
  },
});

type Cache = ReturnType<IgniteClient['getCache']>;
type Tally = { requests: number; mismatches: number; errors: number; seconds: number };

const valueOf = (key: string) => `value-of:${key}:${key.length}`;

async function fill(cache: Cache, keys: number) {
  for (let start = 0; start < keys; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, keys - start) }, (_, i) => `k${start + i}`);
    await Promise.all(batch.map((key) => cache.put(key, valueOf(key))));
  }
}

async function round(
  cache: Cache,
  keys: number,
  inflight: number,
  writes: boolean,
): Promise<Tally> {
  const tally: Tally = { requests: 0, mismatches: 0, errors: 0, seconds: 0 };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inflight }, async (_, i) => {
      const key = `k${Math.floor(Math.random() * keys)}`;
      try {
        // Mixed rounds rewrite the same value, so a get may interleave with puts safely.
        if (writes && i % 4 === 0) await cache.put(key, valueOf(key));
        const value = await cache.get(key);
        if (value !== valueOf(key)) tally.mismatches++;
      } catch {
        tally.errors++;
      } finally {
        tally.requests++;
      }
    }),
  );
  tally.seconds = (performance.now() - started) / 1000;
  return tally;
}

async function main(): Promise<void> {
  const client = new IgniteClient((state, reason) => {
    if (reason) process.stderr.write(`ignite client state ${state}: ${reason}\n`);
  });
  await client.connect(new IgniteClient.IgniteClientConfiguration(flags.endpoint));
  try {
    const cache = await client.getOrCreateCache(flags.cache);
    const [keys, inflight, rounds] = [
      Number(flags.keys),
      Number(flags.inflight),
      Number(flags.rounds),
    ];
    await fill(cache, keys);
    const print = (line: string) => process.stdout.write(`${line}\n`);
    print(`apache-ignite-client stress: ${keys} keys, ${inflight} requests in flight per round`);
    for (let r = 0; r <= rounds; r++) {
      const mixed = r === rounds;
      const t = await round(cache, keys, inflight, mixed);
      print(
        `${mixed ? 'mixed get/put' : `gets round ${r + 1}`}: ${t.requests} requests, ${t.mismatches} mismatched answers, ${t.errors} errors, ${Math.round(t.requests / t.seconds)} req/s`,
      );
    }
    await cache.clear();
  } finally {
    client.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

// Asynchronous predictions next to the synchronous path (issue 20), on the same model and
// the same embedded plane, in one run: sync req/s, async accepted/s (202s) and settled/s
// (how fast the in-process bus and its dispatcher turn them into results), as ratios of
// the sync rate. Medians over interleaved rounds. Needs `npm run --silent build` first.
// node tools/bench/run.mjs async -- [--rounds 3] [--duration 5] [--warmup 1]
//   [--connections 20] [--replicas 1] [--out dist/bench/async]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { login, scraperHeaders } from '@ml-run/process-testing';

import { measureRound, type AsyncRound } from './async/async-throughput';
import { deployEcho } from './async/deploy-echo';
import { startBenchPlane } from './hot-path/bench-plane';
import { median } from './hot-path/stats';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '20' },
    replicas: { type: 'string', default: '1' },
    out: { type: 'string', default: 'dist/bench/async' },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);

function table(results: AsyncRound[]): string {
  const sync = median(results.map((r) => r.syncRps));
  const accepted = median(results.map((r) => r.acceptedPerSecond));
  const settled = median(results.map((r) => r.settledPerSecond));
  const row = (name: string, rate: number, what: string) =>
    `| ${name} | ${rate.toFixed(0)} | ${(rate / sync).toFixed(2)} | ${what} |`;
  return [
    '| path | per second (median) | ratio to sync | what |',
    '| --- | --- | --- | --- |',
    row('sync', sync, 'POST /v1/models/echo/predict, 200s'),
    row('async accepted', accepted, 'POST .../predict:async, 202s'),
    row('async settled', settled, 'accepted ones settled, from window start to the last settle'),
  ].join('\n');
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[async] ${line}\n`);
  const bench = await startBenchPlane(connections);
  try {
    const { plane } = bench;
    const admin = await login(plane.issuerUrl, 'admin', plane.adminPassword);
    log('deploying examples/echo-node');
    await deployEcho(plane, admin.access_token, Number(values.replicas));
    const router = {
      url: plane.routerUrl,
      scrape: scraperHeaders(plane.credentials),
      tokens: bench.tokens,
    };
    const results: AsyncRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const result = await measureRound(router, connections, seconds, warmup);
      results.push(result);
      log(
        `round ${round}/${rounds}: sync ${result.syncRps.toFixed(0)}/s, accepted ${result.acceptedPerSecond.toFixed(0)}/s, settled ${result.settledPerSecond.toFixed(0)}/s (${result.accepted} in ${result.drainSeconds.toFixed(1)} s), non-2xx ${result.non2xx}`,
      );
    }
    const flags = { rounds, seconds, warmup, connections, replicas: Number(values.replicas) };
    const markdown = `# Asynchronous predictions next to sync (embedded mode, echo-node)\n\n${new Date().toISOString()}, flags ${JSON.stringify(flags)}\n\n${table(results)}\n`;
    mkdirSync(values.out, { recursive: true });
    writeFileSync(path.join(values.out, 'async.json'), JSON.stringify({ flags, results }, null, 2));
    writeFileSync(path.join(values.out, 'async.md'), markdown);
    process.stdout.write(`${markdown}\nwrote ${values.out}/async.md and async.json\n`);
    if (results.some((r) => r.non2xx > 0)) process.exitCode = 1;
  } finally {
    await bench.plane.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

// What the router adds in front of a replica: the same wrapper (auth on, warm L1) loaded
// directly and through a standalone router, side by side in interleaved rounds.
// npm run --silent build && node tools/bench/run.mjs router -- [--duration 10] [--rounds 3]
//   [--connections 10] [--model examples/echo-node] [--body-bytes 5] [--baseline <dir>]
// --baseline router-before: also load a router built earlier and copied to dist/apps/<dir>,
// in the same rounds, so a change is measured against the code before it on the same noise.
import { parseArgs } from 'node:util';

import {
  digestOf,
  login,
  scraperHeaders,
  startAuthPlane,
  type PlaneCredentials,
} from '@ml-run/process-testing';

import {
  counterValue,
  serveRoutes,
  startModelWrapper,
  startRouterApp,
  urlOfServer,
  type WrapperUnderTest,
} from './bench-stack';
import { runClosedLoop } from './loadgen';
import { median, printReport, type Sample } from './report';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    model: { type: 'string', default: 'examples/echo-node' },
    'body-bytes': { type: 'string', default: '5' },
    baseline: { type: 'string' },
  },
});

// The model echoes its input: the answer is about as long as the body.
const body = 'x'.repeat(Number(flags['body-bytes']));

// A --baseline build from before the per-role credentials reads the one MLRUN_SERVICE_TOKEN
// (and serves /metrics to anyone); this build refuses to start with it set.
function routerCredentials(app: string, credentials: PlaneCredentials): Record<string, string> {
  if (app !== 'router') return { MLRUN_SERVICE_TOKEN: credentials.routeTable };
  return {
    MLRUN_ROUTE_TABLE_TOKEN: credentials.routeTable,
    MLRUN_METRICS_TOKEN: digestOf(credentials.metrics),
  };
}

async function startRouter(app: string, builderUrl: string, credentials: PlaneCredentials) {
  return startRouterApp(app, builderUrl, routerCredentials(app, credentials));
}

// This build's router, after the --baseline one when given.
async function startRouters(
  builderUrl: string,
  credentials: PlaneCredentials,
  stops: (() => Promise<unknown> | void)[],
): Promise<Target[]> {
  const targets = [];
  for (const app of flags.baseline ? [flags.baseline, 'router'] : ['router']) {
    const router = await startRouter(app, builderUrl, credentials);
    stops.push(() => router.process.stop());
    const name = app === 'router' ? 'through the router' : `through ${app}`;
    const server = { url: router.url, scrape: scraperHeaders(credentials) };
    targets.push({ name, url: `${router.url}/v1/models/echo/predict`, server });
  }
  return targets;
}

type Target = { name: string; url: string; server: Pick<WrapperUnderTest, 'url' | 'scrape'> };
type Measured = Sample & { cpuUsPerRequest: number };

const CPU_SECONDS = /^process_cpu_seconds_total/;

// Also the answering process's CPU per request, from its own /metrics.
async function load(target: Target, tokens: string[], seconds: number): Promise<Measured> {
  const cpuBefore = await counterValue(target.server, CPU_SECONDS);
  const connections = tokens.length;
  const result = await runClosedLoop({ url: target.url, body, connections, tokens, seconds });
  const cpuAfter = await counterValue(target.server, CPU_SECONDS);
  if (result.failures > 0)
    throw new Error(`${target.url}: ${result.failures} of ${result.requests} requests failed`);
  const cpuUsPerRequest = ((cpuAfter - cpuBefore) * 1e6) / result.requests;
  return { rps: result.rps, p50: result.p50, p99: result.p99, cpuUsPerRequest };
}

async function main(): Promise<void> {
  const plane = await startAuthPlane();
  const stops: (() => Promise<unknown> | void)[] = [() => plane.stop()];
  try {
    const tokens: string[] = [];
    for (let i = 0; i < Number(flags.connections); i++)
      tokens.push((await login(plane.issuerUrl, 'admin', plane.adminPassword)).access_token);
    const wrapper = await startModelWrapper(plane, flags.model, { MLRUN_AUTH_MODE: 'bearer' });
    stops.push(() => wrapper.process.stop());
    const model = { name: 'echo', replicaUrls: [wrapper.url] };
    const routes = await serveRoutes(model, plane.credentials.routeTable);
    stops.push(() => new Promise((resolve) => routes.close(resolve)));
    const builderUrl = urlOfServer(routes);
    const targets: Target[] = [
      { name: 'wrapper directly', url: `${wrapper.url}/v1/predict`, server: wrapper },
    ];
    targets.push(...(await startRouters(builderUrl, plane.credentials, stops)));
    for (const target of targets) await load(target, tokens, 2); // warm-up
    const samples: Measured[][] = targets.map(() => []);
    for (let round = 0; round < Number(flags.rounds); round++) {
      for (const [i, target] of targets.entries())
        samples[i]?.push(await load(target, tokens, Number(flags.duration)));
    }
    printReport({
      title: `router benchmark: ${flags.model}, ${body.length}-byte bodies`,
      connections: Number(flags.connections),
      secondsPerRun: Number(flags.duration),
      rows: targets.map((target, i) => ({
        name: target.name,
        rps: median((samples[i] ?? []).map((s) => s.rps)),
        p50: median((samples[i] ?? []).map((s) => s.p50)),
        p99: median((samples[i] ?? []).map((s) => s.p99)),
        cpuUsPerRequest: median((samples[i] ?? []).map((s) => s.cpuUsPerRequest)),
      })),
    });
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

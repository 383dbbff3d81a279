// The open-loop generator against one wrapper (auth on) and the embedded control plane,
// with the services' /metrics scraped each second: a smoke run of tools/bench/src/loadgen
// against the real services, printed as JSON.
// npm run --silent build && node tools/bench/run.mjs open-loop -- [--rate 200] [--seconds 10]
//   [--warmup 2] [--clients 10] [--stale 0] [--on-unauthorized leave|retry] [--l1 on|off]
//   [--wrapper-max-inflight 64] [--generator-cpus 0 --service-cpus 1] [--model examples/echo-node]
import { parseArgs } from 'node:util';

import { startAuthPlane, type AuthPlane } from '@ml-run/process-testing';

import { startModelWrapper, type WrapperUnderTest } from './bench-stack';
import {
  increaseOver,
  pinProcessTree,
  runOpenLoop,
  runPinned,
  scrapeEverySecond,
  type OpenLoopOptions,
} from './loadgen';

const { values: flags } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    clients: { type: 'string', default: '10' },
    stale: { type: 'string', default: '0' },
    'on-unauthorized': { type: 'string', default: 'leave' },
    l1: { type: 'string', default: 'on' },
    'wrapper-max-inflight': { type: 'string' },
    'generator-cpus': { type: 'string' },
    'service-cpus': { type: 'string' },
    model: { type: 'string', default: 'examples/echo-node' },
  },
});

const COUNTERS = [
  'mlrun_predictions_total',
  'mlrun_auth_validator_calls_total',
  'mlrun_introspections_total',
  'mlrun_tokens_issued_total',
  'process_cpu_seconds_total',
];

function wrapperEnv(): Record<string, string> {
  const env: Record<string, string> = { MLRUN_AUTH_MODE: 'bearer' };
  if (flags.l1 === 'off') env['MLRUN_L1_MAX_ENTRIES'] = '0';
  // Past its in-flight limit (64) the wrapper answers 429 instead of queueing.
  const maxInFlight = flags['wrapper-max-inflight'];
  if (maxInFlight) env['MLRUN_MAX_INFLIGHT'] = maxInFlight;
  return env;
}

// Every client is user admin, each with its own token.
function generatorOptions(plane: AuthPlane, wrapper: WrapperUnderTest): OpenLoopOptions {
  return {
    url: `${wrapper.url}/v1/predict`,
    body: 'hello',
    rate: Number(flags.rate),
    seconds: Number(flags.seconds),
    warmupSeconds: Number(flags.warmup),
    clients: Array.from({ length: Number(flags.clients) }, () => ({
      username: 'admin',
      password: plane.adminPassword,
    })),
    issuerUrl: plane.issuerUrl,
    staleFraction: Number(flags.stale),
    // Anything else is refused by the generator with LOADGEN_BAD_ONUNAUTHORIZED.
    onUnauthorized: flags['on-unauthorized'] as 'leave' | 'retry',
  };
}

async function run(plane: AuthPlane, wrapper: WrapperUnderTest) {
  const serviceCpus = flags['service-cpus'];
  if (serviceCpus)
    for (const service of [plane, wrapper.process])
      pinProcessTree(service.process.pid ?? 0, serviceCpus);
  const targets = [
    { name: 'wrapper', url: wrapper.url, headers: wrapper.scrape },
    { name: 'validator', url: plane.validatorUrl, headers: wrapper.scrape },
    { name: 'issuer', url: plane.issuerUrl, headers: wrapper.scrape },
  ];
  const scraper = scrapeEverySecond(targets);
  const options = generatorOptions(plane, wrapper);
  const cpus = flags['generator-cpus'];
  const result = cpus ? await runPinned(cpus, 'open', options) : await runOpenLoop(options);
  const series = await scraper.stop();
  const services = Object.fromEntries(
    targets.map((t) => [
      t.name,
      Object.fromEntries(COUNTERS.map((c) => [c, increaseOver(series, t.name, c)])),
    ]),
  );
  return { result, services };
}

async function main(): Promise<void> {
  // Many clients are one user here: logins in flight count against the per-user limit.
  const plane = await startAuthPlane({
    MLRUN_LOGIN_MAX_FAILURES_PER_USER: '1000',
    MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
  });
  const wrapper = await startModelWrapper(plane, flags.model, wrapperEnv()).catch(
    async (error: unknown) => {
      await plane.stop();
      throw error;
    },
  );
  try {
    process.stdout.write(`${JSON.stringify(await run(plane, wrapper), null, 2)}\n`);
  } finally {
    await Promise.all([wrapper.process.stop(), plane.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

// Wrapper throughput and latency with authorization off, on with a warm L1 cache, and on
// with every request a cache miss (L1 off), measured side by side in interleaved rounds.
// npm run bench:auth -- [--duration 10] [--rounds 3] [--connections 10] [--model examples/echo-node]
//   [--body hello] [--variants off,warm,miss] [--cpu 2]
// The sandbox's cost: --variants unsandboxed,sandboxed (both auth off), with --cpu set to the
// machine's cores so the manifest's CPU limit, which only the sandbox enforces, does not bind.
import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { login, startAuthPlane } from '@ml-run/process-testing';

import { counterValue, startModelWrapper, type WrapperUnderTest } from './bench-stack';
import { runClosedLoop } from './loadgen';
import { median, printReport, type Sample } from './report';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    model: { type: 'string', default: 'examples/echo-node' },
    body: { type: 'string', default: 'hello' },
    variants: { type: 'string', default: 'off,warm,miss' },
    cpu: { type: 'string' },
  },
});

const VARIANTS: Record<string, { name: string; env: Record<string, string> }> = {
  off: { name: 'auth disabled', env: { MLRUN_AUTH_MODE: 'disabled' } },
  warm: { name: 'auth on, warm L1', env: { MLRUN_AUTH_MODE: 'bearer' } },
  miss: {
    name: 'auth on, every request a miss',
    env: { MLRUN_AUTH_MODE: 'bearer', MLRUN_L1_MAX_ENTRIES: '0' },
  },
  unsandboxed: {
    name: 'auth off, MLRUN_SANDBOX=off',
    env: { MLRUN_AUTH_MODE: 'disabled', MLRUN_SANDBOX: 'off' },
  },
  sandboxed: {
    name: 'auth off, sandboxed (MLRUN_SANDBOX=auto)',
    env: { MLRUN_AUTH_MODE: 'disabled', MLRUN_SANDBOX: 'auto' },
  },
};

// --variants off,warm,miss (default); repeat one (off,off,warm) to see the run-to-run noise.
const chosen = flags.variants.split(',').map((key) => {
  const variant = VARIANTS[key];
  if (!variant) throw new Error(`unknown variant ${key}; use ${Object.keys(VARIANTS).join(', ')}`);
  return variant;
});

// A copy of the bundle whose manifest asks for `cpu` CPUs (resources.cpu, one line).
function withCpu(modelDir: string, cpu: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'bench-model-'));
  cpSync(modelDir, copy, { recursive: true });
  // mkdtemp makes it 0700: a sandboxed worker (another uid) could not read its bundle.
  chmodSync(copy, 0o755);
  const manifest = path.join(copy, 'ml-run.yaml');
  const text = readFileSync(manifest, 'utf8');
  const changed = text.replace(/cpu: [^,}\s]+/, `cpu: '${cpu}'`);
  if (changed === text) throw new Error(`${manifest}: no resources.cpu to change`);
  writeFileSync(manifest, changed);
  return copy;
}

async function load(url: string, tokens: string[], seconds: number): Promise<Sample> {
  const result = await runClosedLoop({
    url: `${url}/v1/predict`,
    body: flags.body,
    connections: tokens.length,
    tokens,
    seconds,
  });
  if (result.failures > 0)
    throw new Error(`${url}: ${result.failures} of ${result.requests} requests failed`);
  return { rps: result.rps, p50: result.p50, p99: result.p99 };
}

async function measure(wrappers: WrapperUnderTest[], tokens: string[]): Promise<Sample[][]> {
  const samples: Sample[][] = wrappers.map(() => []);
  for (const wrapper of wrappers) await load(wrapper.url, tokens, 2); // warm-up: JIT, L1, keep-alive
  for (let round = 0; round < Number(flags.rounds); round++) {
    for (const [i, wrapper] of wrappers.entries()) {
      samples[i]?.push(await load(wrapper.url, tokens, Number(flags.duration)));
    }
  }
  return samples;
}

async function main(): Promise<void> {
  const plane = await startAuthPlane();
  const wrappers: WrapperUnderTest[] = [];
  try {
    // One token per connection, as with that many clients: concurrent misses on one token
    // would be folded into one validator call and flatter the L1-off figures.
    const tokens: string[] = [];
    for (let i = 0; i < Number(flags.connections); i++)
      tokens.push((await login(plane.issuerUrl, 'admin', plane.adminPassword)).access_token);
    const model = flags.cpu ? withCpu(flags.model, flags.cpu) : flags.model;
    for (const variant of chosen) wrappers.push(await startModelWrapper(plane, model, variant.env));
    const validatorCalls = /^mlrun_auth_validator_calls_total/;
    const callsBefore = await Promise.all(wrappers.map((w) => counterValue(w, validatorCalls)));
    const samples = await measure(wrappers, tokens);
    const callsAfter = await Promise.all(wrappers.map((w) => counterValue(w, validatorCalls)));
    printReport({
      title: `wrapper authorization benchmark: ${flags.model}`,
      connections: Number(flags.connections),
      secondsPerRun: Number(flags.duration),
      rows: chosen.map((variant, i) => ({
        name: variant.name,
        rps: median((samples[i] ?? []).map((s) => s.rps)),
        p50: median((samples[i] ?? []).map((s) => s.p50)),
        p99: median((samples[i] ?? []).map((s) => s.p99)),
        validatorCalls: (callsAfter[i] ?? 0) - (callsBefore[i] ?? 0),
      })),
    });
  } finally {
    await Promise.all([...wrappers.map((w) => w.process.stop()), plane.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

// Calibration: each station's service time on this machine, into the capacity parameter
// file (serviceRates and the measured block). Needs the built apps (npm run build).
// node tools/bench/run.mjs calibrate [--out docs/experiments/capacity.json]
//   [--result docs/experiments/calibration.json] [--model tools/bench/models/exp-sleep-python]
//   [--quick]
// --result: the whole CalibrationResult (the issuer at the experiment cost, the path
// overhead), which the validation reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT } from '@ml-run/process-testing';
import { parseCapacityParameters } from '@ml-run/qnet';

import { runCalibration } from './experiments/calibrate';

const { values: flags } = parseArgs({
  options: {
    out: { type: 'string', default: 'docs/experiments/capacity.json' },
    result: { type: 'string', default: 'docs/experiments/calibration.json' },
    model: { type: 'string', default: 'tools/bench/models/exp-sleep-python' },
    quick: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const result = await runCalibration({ model: flags.model, quick: flags.quick, log });
  // What is written must be what `ml-run capacity --params` reads.
  parseCapacityParameters(result.document);
  const out = writeJson(flags.out, result.document);
  const detail = writeJson(flags.result, result);
  log('');
  log('station       service time  basis    CPU/completion  light-load latency  completions');
  for (const [name, s] of Object.entries(result.stations))
    log(
      `${name.padEnd(13)} ${ms(s.serviceSeconds)}  ${s.basis.padEnd(7)}  ${ms(s.cpuSecondsPerCompletion)}      ${ms(s.lightLoadLatencySeconds)}          ${s.completions}`,
    );
  const cheap = result.issuerAtExperimentCost;
  log(`path overhead (unqueued, per request): ${ms(result.pathOverheadSeconds)}`);
  log(
    `issuer at the experiment cost (scrypt N=${result.scrypt.experiment.N}): ${ms(cheap.serviceSeconds)} per login`,
  );
  log(`wrote ${out} and ${detail}`);
}

function writeJson(file: string, value: unknown): string {
  const absolute = path.resolve(REPO_ROOT, file);
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, `${JSON.stringify(value, null, 2)}\n`);
  return path.relative(REPO_ROOT, absolute);
}

function ms(seconds: number): string {
  return `${(seconds * 1e3).toFixed(3).padStart(9)} ms`;
}

// An interrupted run still stops its services (the stack's exit handler SIGTERMs them).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

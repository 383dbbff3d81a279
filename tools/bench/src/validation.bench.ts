// Model validation: measured latency and per-station rates against the analytic model and
// the simulator, at utilizations 0.3-0.9 of predict with K = 1, 2, 4 wrappers.
// npm run --silent build && node tools/bench/run.mjs validation [--quick] [--pin]
//   [--calibration docs/experiments/calibration.json] [--out docs/experiments/validation.json]
//   [--wrappers 1,2,4] [--utilizations 0.3,0.5,0.7,0.9]
// --calibration: a calibrate --result file; missing, the calibration runs first.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT } from '@ml-run/process-testing';

import { runCalibration, type CalibrationResult } from './experiments/calibrate';
import { runValidation } from './experiments/validation';

const { values: flags } = parseArgs({
  options: {
    calibration: { type: 'string', default: 'docs/experiments/calibration.json' },
    model: { type: 'string', default: 'tools/bench/models/exp-sleep-python' },
    out: { type: 'string', default: 'docs/experiments/validation.json' },
    quick: { type: 'boolean', default: false },
    pin: { type: 'boolean', default: false },
    wrappers: { type: 'string' },
    utilizations: { type: 'string' },
  },
});

const log = (line: string) => process.stdout.write(`${line}\n`);

async function calibration(): Promise<CalibrationResult> {
  const file = path.resolve(REPO_ROOT, flags.calibration);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CalibrationResult;
  log(`no ${flags.calibration}: calibrating first`);
  return runCalibration({ model: flags.model, quick: flags.quick, log });
}

// `1,2,4` → [1, 2, 4]; unset → the default of the mode.
function listOf(flag: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const numbers = value.split(',').map(Number);
  if (numbers.some((n) => !(n > 0)))
    throw new Error(`--${flag} takes numbers above 0 separated by commas, got "${value}"`);
  return numbers;
}

async function main(): Promise<void> {
  const rows = await runValidation({
    calibration: await calibration(),
    quick: flags.quick,
    pin: flags.pin,
    wrappers: listOf('wrappers', flags.wrappers),
    utilizations: listOf('utilizations', flags.utilizations),
    log,
  });
  const out = path.resolve(REPO_ROOT, flags.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(rows, null, 2)}\n`);
  log(`wrote ${path.relative(REPO_ROOT, out)}`);
}

// An interrupted run still stops its services (the stack's exit handler SIGTERMs them).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

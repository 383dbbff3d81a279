// The paper's experiments on the live system, and the report: `npm run experiments`
// (= node tools/bench/run.mjs experiments). Runs calibration, model validation, Fig. 5 and
// Fig. 6 live, then writes docs/experiments.md with its figures (SVG) and raw results
// (JSON) under docs/experiments/. Needs the built apps (npm run build).
//   --quick       short windows and few points (CI: checks the pipeline, not the accuracy);
//                 writes to a fresh temp dir unless --out is given, so CI never dirties docs/
//   --out <dir>   where experiments.md and experiments/ go (default: docs/, or a temp dir)
//   --model <dir> the bundle Fig. 5 and 6 load (default examples/echo-node)
//   --from <json> no runs: render the report and figures again from a results.json
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT } from '@ml-run/process-testing';

import { runFig5 } from './experiments/fig5';
import { runFig6 } from './experiments/fig6';
import { describeMachine } from './experiments/machine';
import { runCalibrationStep, runValidationStep } from './experiments/model-steps';
import { checkPlan, experimentsPlan } from './experiments/plan';
import type { ExperimentsResults } from './experiments/results';
import { resultsFromJson } from './experiments/results-json';
import { scaleTo } from './experiments/scaling';
import { FIGURES, RAW_RESULTS, writeReport } from './experiments/write-report';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    model: { type: 'string', default: 'examples/echo-node' },
    from: { type: 'string' },
  },
});

const log = (line: string) => process.stdout.write(`[experiments ${elapsed()}] ${line}\n`);
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;

async function outputDir(mode: 'quick' | 'full'): Promise<string> {
  if (flags.out) return path.resolve(flags.out);
  if (mode === 'quick') return mkdtemp(path.join(tmpdir(), 'ml-run-experiments-'));
  return path.join(REPO_ROOT, 'docs');
}

async function main(): Promise<void> {
  const mode = flags.quick ? 'quick' : 'full';
  const dir = await outputDir(mode);
  const results = flags.from
    ? resultsFromJson(await readFile(flags.from, 'utf8'))
    : await runAll(mode, dir);
  for (const file of await writeReport(dir, results)) log(`wrote ${file}`);
}

async function runAll(mode: 'quick' | 'full', dir: string): Promise<ExperimentsResults> {
  const plan = experimentsPlan(mode);
  checkPlan(plan);
  const machine = describeMachine();
  log(`${mode} run on ${machine.cores} × ${machine.cpuModel}; writing to ${dir}`);
  log('calibration');
  const calibrated = await runCalibrationStep(mode, dir, machine.cores, log);
  const { calibration, parameters, loginCosts } = calibrated;
  log('model validation');
  const validation = await runValidationStep(mode, calibrated.result, log);
  const common = { model: flags.model, workers: 1, body: 'hello', seed: 16, log };
  log('Fig. 5');
  const fig5 = await runFig5({ ...plan.fig5, ...common });
  log('Fig. 6');
  const fig6 = await runFig6({ ...plan.fig6, ...common });
  return {
    mode,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    machine,
    loginCosts,
    calibration,
    validation,
    fig5,
    fig6,
    scaling: scaleTo(parameters, plan.scaling),
    figures: { ...FIGURES },
    rawResults: RAW_RESULTS,
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

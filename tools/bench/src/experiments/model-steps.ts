// Calibration and validation as steps of the experiments run, and what the report takes
// from them.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { parseCapacityParameters, type MlrunParameters } from '@ml-run/qnet';

import { runCalibration, type CalibrationResult } from './calibrate';
import type { LoginCost } from './login-cost';
import type { CalibrationSummary, ExperimentsResults } from './results';
import { runValidation } from './validation';
import { summarizeValidation } from './validation-summary';

/** The bundle calibration and validation measure: an exponential sleep, one worker. */
export const VALIDATION_MODEL = 'tools/bench/models/exp-sleep-python';
/** Where the capacity parameter file goes, relative to the report's directory. */
export const PARAMETER_FILE = 'experiments/capacity.json';

export type CalibrationStep = {
  calibration: CalibrationSummary;
  /** The calibrated parameter file, parsed: the model the scaling section uses. */
  parameters: MlrunParameters;
  loginCosts: LoginCost[];
  result: CalibrationResult;
};

/** Calibrates, writes the capacity parameter file under `dir`, and summarizes. */
export async function runCalibrationStep(
  mode: 'quick' | 'full',
  dir: string,
  cores: number,
  log: (line: string) => void,
): Promise<CalibrationStep> {
  const result = await runCalibration({ model: VALIDATION_MODEL, quick: mode === 'quick', log });
  // What is written must be what `ml-run capacity --file` reads.
  const parameters = parseCapacityParameters(result.document);
  const file = path.join(dir, PARAMETER_FILE);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(result.document, null, 2)}\n`);
  return {
    result,
    parameters,
    calibration: calibrationSummary(result),
    loginCosts: loginCosts(result, cores),
  };
}

/** The report's table rows: per station its service time, μ and the figures behind it. */
export function calibrationSummary(result: CalibrationResult): CalibrationSummary {
  const ms = (seconds: number) => `${(seconds * 1000).toPrecision(3)} ms`;
  return {
    parameterFile: PARAMETER_FILE,
    model: result.model,
    stations: Object.entries(result.stations).map(([station, s]) => ({
      station,
      serviceTimeMs: s.serviceSeconds * 1000,
      serviceRate: 1 / s.serviceSeconds,
      method: `${s.basis === 'cpu' ? 'CPU per completion' : 'worker-busy time'} (CPU ${ms(s.cpuSecondsPerCompletion)}, light-load latency ${ms(s.lightLoadLatencySeconds)}, ${s.completions} completions)`,
    })),
  };
}

/**
 * A login's cost at the production and the experiment scrypt cost, from the calibrated
 * issuer (CPU per login), and the logins per second all cores could serve at that cost.
 */
export function loginCosts(result: CalibrationResult, cores: number): LoginCost[] {
  const at = (label: string, scrypt: LoginCost['scrypt'], seconds: number): LoginCost => ({
    label,
    scrypt,
    loginMs: seconds * 1000,
    maxLoginsPerSecond: cores / seconds,
  });
  return [
    at('production', result.scrypt.production, result.stations.issuer.serviceSeconds),
    at('experiment', result.scrypt.experiment, result.issuerAtExperimentCost.serviceSeconds),
  ];
}

/** Validates the model at the calibrated rates: runValidation's rows, summarized. */
export async function runValidationStep(
  mode: 'quick' | 'full',
  calibration: CalibrationResult,
  log: (line: string) => void,
): Promise<ExperimentsResults['validation']> {
  const rows = await runValidation({ calibration, quick: mode === 'quick', seed: 16, log });
  const { comparisons, runs } = summarizeValidation(rows);
  return { settings: { model: calibration.model }, comparisons, runs, rows };
}

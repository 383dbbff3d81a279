// Calibration and validation as steps of the experiments run.
// TODO(i16-report): interim until i16-calibrate's runCalibration / runValidation land.
import { DEFAULT_MLRUN_PARAMETERS, type MlrunParameters } from '@ml-run/qnet';

import type { CalibrationSummary, ExperimentsResults } from './results';

export async function runCalibrationStep(
  _mode: 'quick' | 'full',
  _dir: string,
  log: (line: string) => void,
): Promise<{ calibration: CalibrationSummary; parameters: MlrunParameters }> {
  log('calibration: not available yet (interim defaults)');
  const rates = DEFAULT_MLRUN_PARAMETERS.serviceRates;
  return {
    parameters: DEFAULT_MLRUN_PARAMETERS,
    calibration: {
      parameterFile: '(none)',
      stations: Object.entries(rates).map(([station, rate]) => ({
        station,
        serviceRate: rate,
        serviceTimeMs: 1000 / rate,
        method: 'interim default',
      })),
    },
  };
}

export async function runValidationStep(
  _mode: 'quick' | 'full',
  _dir: string,
  log: (line: string) => void,
): Promise<ExperimentsResults['validation']> {
  log('validation: not available yet');
  return { settings: {}, comparisons: [] };
}

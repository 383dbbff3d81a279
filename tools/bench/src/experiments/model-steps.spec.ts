import type { CalibrationResult } from './calibrate';
import { calibrationSummary, loginCosts, PARAMETER_FILE } from './model-steps';

const figures = (serviceSeconds: number, basis: 'cpu' | 'worker-busy' = 'cpu') => ({
  cpuSecondsPerCompletion: serviceSeconds,
  lightLoadLatencySeconds: serviceSeconds * 2,
  completions: 100,
  serviceSeconds,
  basis,
});

// Only the fields the summary reads; the rest of a CalibrationResult is the calibration's.
const result = {
  model: 'tools/bench/models/exp-sleep-python',
  stations: {
    router: figures(0.0002),
    'token-check': figures(0.00005),
    validator: figures(0.0004),
    issuer: figures(0.1),
    predict: figures(0.01, 'worker-busy'),
  },
  issuerAtExperimentCost: figures(0.004),
  scrypt: { production: { N: 32768, r: 8, p: 1 }, experiment: { N: 1024, r: 8, p: 1 } },
} as unknown as CalibrationResult;

describe('loginCosts', () => {
  it('turns the calibrated CPU per login into logins/s over all cores, at both costs', () => {
    const [production, experiment] = loginCosts(result, 2);
    expect(production).toMatchObject({ label: 'production', scrypt: { N: 32768 } });
    expect(production?.loginMs).toBeCloseTo(100, 10);
    expect(production?.maxLoginsPerSecond).toBeCloseTo(20, 10);
    expect(experiment?.maxLoginsPerSecond).toBeCloseTo(500, 10);
  });
});

describe('calibrationSummary', () => {
  it('gives each station its service time, μ = 1/time, and the figures behind it', () => {
    const summary = calibrationSummary(result);
    expect(summary.parameterFile).toBe(PARAMETER_FILE);
    const predict = summary.stations.find((s) => s.station === 'predict');
    expect(predict?.serviceTimeMs).toBeCloseTo(10, 10);
    expect(predict?.serviceRate).toBeCloseTo(100, 10);
    expect(predict?.method).toBe(
      'worker-busy time (CPU 10.0 ms, light-load latency 20.0 ms, 100 completions)',
    );
  });
});

// A small, made-up results object for the rendering tests: its numbers are chosen to be
// recognizable in the output, not to be plausible measurements.
import type { Interval } from './interval';
import type { ExperimentsResults } from './results';

export const at = (mean: number, halfWidth: number, batches = 5): Interval => ({
  mean,
  halfWidth,
  low: mean - halfWidth,
  high: mean + halfWidth,
  batches,
});

const MACHINE: ExperimentsResults['machine'] = {
  cpuModel: 'Test CPU 9000',
  cores: 2,
  memoryGiB: 23.4,
  kernel: 'Linux 6.1.0-test',
  node: 'v20.19.0',
  loadAverage: 1.5,
};

const LOGIN_COSTS: ExperimentsResults['loginCosts'] = [
  {
    label: 'production',
    scrypt: { N: 32768, r: 8, p: 1 },
    loginMs: 123.4,
    maxLoginsPerSecond: 16.21,
  },
  {
    label: 'experiment',
    scrypt: { N: 1024, r: 8, p: 1 },
    loginMs: 3.21,
    maxLoginsPerSecond: 623.1,
  },
];

const CALIBRATION: ExperimentsResults['calibration'] = {
  parameterFile: 'experiments/capacity.json',
  model: 'tools/bench/models/exp-sleep-python',
  stations: [
    { station: 'router', serviceTimeMs: 0.2, serviceRate: 5000, method: 'CPU per completion' },
    { station: 'predict', serviceTimeMs: 10, serviceRate: 100, method: 'light-load latency' },
  ],
};

const VALIDATION: ExperimentsResults['validation'] = {
  settings: { model: 'tools/bench/models/exp-sleep-python' },
  runs: [
    {
      wrappers: 1,
      targetUtilization: 0.5,
      measuredUtilization: 0.48,
      rate: 24.4,
      clients: 20,
      l1TtlSeconds: 1,
      tokenLifetimeSeconds: 10,
      pStale: 0.0758,
      pMiss: 0.452,
      batchSeconds: 2,
      pilotBatches: 10,
      requiredBatches: 37,
      usedBatches: 37,
      capped: false,
      relativePrecision: 0.05,
      variants: [
        { name: 'M/M/c predict (exponential)', meanLatencyMs: 20, error: 0.5 },
        { name: 'M/D/c predict (deterministic)', meanLatencyMs: 15, error: 1 },
      ],
      bestVariant: 'M/M/c predict (exponential)',
    },
  ],
  rows: [],
  comparisons: [
    {
      utilization: 0.5,
      wrappers: 1,
      kind: 'rate',
      station: 'predict',
      unit: 'req/s',
      model: 50,
      measured: at(50.5, 0.4),
    },
    {
      utilization: 0.5,
      wrappers: 1,
      kind: 'rate',
      station: 'validator',
      unit: 'req/s',
      model: 10,
      measured: at(13, 0.2),
    },
    {
      utilization: 0.5,
      wrappers: 2,
      kind: 'mean latency',
      station: 'end to end',
      unit: 'ms',
      model: 20,
      simulated: 20.4,
      measured: at(40, 1),
    },
    {
      utilization: 0.9,
      wrappers: 1,
      kind: 'mean latency',
      station: 'end to end',
      unit: 'ms',
      model: 90,
      measured: at(300, 10),
    },
  ],
};

const FIG5: ExperimentsResults['fig5'] = {
  rate: 50,
  clients: 10,
  wrappers: 1,
  warmupSeconds: 2,
  seconds: 5,
  batches: 5,
  longTokenTtl: '1h',
  l1Ttl: '60s',
  points: [
    {
      mode: 'expiry',
      target: 0.5,
      tokenTtl: '200ms',
      stale: 0.47,
      staleInterval: at(0.47, 0.03),
      predictRate: at(26.5, 1.5),
      loginRate: at(23.5, 2),
      offeredRate: 50.2,
      modelPredictRate: 26.606,
      errors: 0,
      dropped: 0,
    },
    {
      mode: 'injected',
      target: 0,
      tokenTtl: '1h',
      stale: 0,
      staleInterval: at(0, 0),
      predictRate: at(49.8, 2),
      loginRate: at(0, 0),
      offeredRate: 49.9,
      modelPredictRate: 49.9,
      errors: 1,
      dropped: 0,
    },
    {
      mode: 'injected',
      target: 0.5,
      tokenTtl: '1h',
      stale: 0.52,
      staleInterval: at(0.52, Infinity, 1),
      predictRate: at(24, 3),
      loginRate: at(26, 2),
      offeredRate: 50,
      modelPredictRate: 24,
      errors: 0,
      dropped: 0,
    },
  ],
};

const FIG6: ExperimentsResults['fig6'] = {
  rate: 50,
  clients: 5,
  tokenTtl: '1h',
  rule: { minCycles: 2, minWindow: 5, minWarmup: 1 },
  batches: 5,
  points: [
    {
      wrappers: 1,
      l1TtlSeconds: 0.25,
      timing: { cycleSeconds: 0.35, warmupSeconds: 1, windowSeconds: 5.25 },
      validatorRate: at(14.2, 1.1),
      introspectionRate: 14.1,
      offeredRate: 50,
      modelSteady: 14.3,
      modelColdWindow: 15.1,
      errors: 0,
    },
    {
      wrappers: 2,
      l1TtlSeconds: 1,
      timing: { cycleSeconds: 1.2, warmupSeconds: 1.2, windowSeconds: 6 },
      validatorRate: at(8.4, 0.7),
      introspectionRate: 8.3,
      offeredRate: 50,
      modelSteady: 8.33,
      modelColdWindow: 9.9,
      errors: 0,
    },
  ],
};

const SCALING: ExperimentsResults['scaling'] = {
  targetRate: 10000,
  targetUtilization: 0.7,
  pStale: 0.0003,
  pMiss: 0.016,
  stations: [
    { station: 'router', arrivalRate: 10000, serviceRate: 5000, servers: 3 },
    { station: 'predict', arrivalRate: 9997, serviceRate: 100, servers: 143 },
  ],
  wrappers: 150,
  totalServers: 157,
  modelMaxRateHere: 77.7,
};

const FIGURES: ExperimentsResults['figures'] = {
  fig5: 'experiments/fig5.svg',
  fig6: 'experiments/fig6.svg',
  loginRate: 'experiments/login.svg',
};

/** A fresh copy each call: tests may change it. */
export function fixtureResults(): ExperimentsResults {
  return structuredClone<ExperimentsResults>({
    mode: 'quick',
    startedAt: '2026-12-05T18:00:00.000Z',
    finishedAt: '2026-12-05T18:02:00.000Z',
    durationSeconds: 120,
    machine: MACHINE,
    loginCosts: LOGIN_COSTS,
    calibration: CALIBRATION,
    validation: VALIDATION,
    fig5: FIG5,
    fig6: FIG6,
    scaling: SCALING,
    figures: FIGURES,
    rawResults: 'experiments/results.json',
  });
}

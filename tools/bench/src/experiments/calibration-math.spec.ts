import { parseCapacityParameters } from '@ml-run/qnet';

import {
  addedBy,
  capacityDocument,
  cpuPerCompletion,
  predictFigures,
  RESOLUTION_SECONDS,
  stationFigures,
  type CalibratedStation,
  type StationFigures,
} from './calibration-math';

describe('cpuPerCompletion', () => {
  it('divides the CPU spent by the completions between two snapshots', () => {
    const perRequest = cpuPerCompletion(
      { cpuSeconds: 10, completions: 1000 },
      { cpuSeconds: 12, completions: 5000 },
    );
    expect(perRequest).toEqual({ cpuSeconds: 0.0005, completions: 4000 });
  });

  it('refuses a window where nothing completed', () => {
    const same = { cpuSeconds: 1, completions: 7 };
    expect(() => cpuPerCompletion(same, same)).toThrow(/not driven/);
  });
});

describe('addedBy', () => {
  it('is the difference, floored at the resolution when noise makes it negative', () => {
    expect(addedBy(0.0015, 0.001)).toBeCloseTo(0.0005, 12);
    expect(addedBy(0.001, 0.0012)).toBe(RESOLUTION_SECONDS);
  });
});

describe('predictFigures', () => {
  it('is the model time plus the worker CPU; the rest of the visit is the path overhead', () => {
    const { predict, pathOverheadSeconds } = predictFigures({
      modelLatencySeconds: 0.0215,
      emptyLatencySeconds: 0.0015,
      treeCpu: { cpuSeconds: 0.0007, completions: 4000 },
      wrapperCpuSeconds: 0.0004,
    });
    // worker CPU 0.3 ms; the model's own time 20 ms.
    expect(predict.serviceSeconds).toBeCloseTo(0.0203, 9);
    expect(pathOverheadSeconds).toBeCloseTo(0.0012, 9);
    // Light load: overhead + busy time is the latency measured.
    expect(predict.serviceSeconds + pathOverheadSeconds).toBeCloseTo(0.0215, 9);
    expect(predict.basis).toBe('worker-busy');
  });
});

describe('capacityDocument', () => {
  const cpu = (seconds: number) =>
    stationFigures({ cpuSeconds: seconds, completions: 100 }, seconds * 2);
  const stations: Record<CalibratedStation, StationFigures> = {
    router: cpu(0.0005),
    'token-check': cpu(0.00004),
    validator: cpu(0.00025),
    issuer: cpu(0.1),
    predict: cpu(0.02),
  };
  const document = capacityDocument(stations, {
    source: 'tools/bench calibrate',
    at: '2026-12-05T18:00:00.000Z',
    machine: '2 × test CPU',
    method: 'CPU per completion',
  });

  it('parses as a capacity parameter file', () => {
    expect(() => parseCapacityParameters(document)).not.toThrow();
  });

  it('has μ = 1 / service time per station', () => {
    const rates = parseCapacityParameters(document).serviceRates;
    const expected = { router: 2000, tokenCheck: 25000, validator: 4000, issuer: 10, predict: 50 };
    for (const [name, rate] of Object.entries(expected))
      expect(rates[name as keyof typeof rates]).toBeCloseTo(rate, 6);
  });

  it('records what each station measured', () => {
    expect(document.measured.stations['issuer']).toEqual({
      cpuSecondsPerCompletion: 0.1,
      lightLoadLatencySeconds: 0.2,
      completions: 100,
    });
  });
});

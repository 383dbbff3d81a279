import { DEFAULT_MLRUN_PARAMETERS, solveMlrun } from '@ml-run/qnet';

import { scaleTo } from './scaling';

describe('scaleTo', () => {
  const scaled = scaleTo(DEFAULT_MLRUN_PARAMETERS, { rate: 10_000, utilization: 0.7 });

  it('gives each station ⌈λ_s/(ρ*·μ_s)⌉ servers', () => {
    for (const s of scaled.stations) {
      expect(s.servers).toBe(Math.max(1, Math.ceil(s.arrivalRate / s.serviceRate / 0.7)));
    }
    expect(scaled.stations.find((s) => s.station === 'router')?.arrivalRate).toBeCloseTo(10_000, 6);
  });

  it('sizes the wrappers for token check and predict together', () => {
    const load = (name: string) => {
      const s = scaled.stations.find((x) => x.station === name);
      return s ? s.arrivalRate / s.serviceRate : NaN;
    };
    expect(scaled.wrappers).toBe(Math.ceil((load('token-check') + load('predict')) / 0.7));
  });

  it('keeps every station at or under the target utilization with those servers', () => {
    const solution = solveMlrun({
      ...DEFAULT_MLRUN_PARAMETERS,
      rate: 10_000,
      servers: {
        routers: scaled.stations.find((s) => s.station === 'router')?.servers ?? 0,
        wrappers: scaled.wrappers,
        validators: scaled.stations.find((s) => s.station === 'validator')?.servers ?? 0,
        issuers: scaled.stations.find((s) => s.station === 'issuer')?.servers ?? 0,
      },
    });
    for (const station of solution.stations) {
      if (station.name !== 'token-check' && station.name !== 'predict')
        expect(station.utilization).toBeLessThanOrEqual(0.7);
    }
    expect(solution.wrapperUtilization).toBeLessThanOrEqual(0.7);
  });

  it("reports the calibrated deployment's own largest rate", () => {
    expect(scaled.modelMaxRateHere).toBeCloseTo(
      solveMlrun(DEFAULT_MLRUN_PARAMETERS).maxExternalRate,
      6,
    );
  });
});

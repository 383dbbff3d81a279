import {
  DEFAULT_MLRUN_PARAMETERS,
  FIG6_L1_LIFETIMES_SECONDS,
  FIG6_WRAPPERS,
  recommend,
} from '@ml-run/qnet';

import {
  analysisText,
  fig5Rows,
  fig6Rows,
  recommendationText,
  solveCapacity,
  stationRows,
} from './capacity-solution';

describe(solveCapacity.name, () => {
  it('recommends K, M and N for the target, as the model does', () => {
    const p = { ...DEFAULT_MLRUN_PARAMETERS, rate: 3000 };
    const sut = solveCapacity(p, { maxUtilization: 0.6 });
    const expected = recommend(p, { maxUtilization: 0.6 }).servers;
    expect(sut.recommendation.servers).toEqual(expected);
    expect(sut.recommendation.met).toBe(true);
    expect(recommendationText(sut)).toContain(
      `K = ${expected.wrappers} wrappers, M = ${expected.validators} validators, N = ${expected.routers} routers`,
    );
    expect(recommendationText(sut)).toMatch(/^Recommended for λ = 3000 req\/s, ρ ≤ 60\.0 %/);
  });

  it('says why a target cannot be met', () => {
    const sut = solveCapacity(DEFAULT_MLRUN_PARAMETERS, {
      maxUtilization: 0.7,
      maxLatencySeconds: 1e-6,
    });
    expect(sut.recommendation.met).toBe(false);
    expect(recommendationText(sut)).toContain('cannot be met: The latency bound');
    expect(recommendationText(sut)).toContain('Closest: K = ');
  });

  it('lists every station with its arrival rate, utilization and mean wait', () => {
    const sut = solveCapacity(DEFAULT_MLRUN_PARAMETERS, {});
    const rows = stationRows(sut.analysis);
    expect(rows.map((r) => r.name)).toEqual([
      'router',
      'token-check',
      'validator',
      'issuer',
      'predict',
    ]);
    // Every request passes the router once: 1000 req/s on one router serving 20 000/s.
    expect(rows[0]).toMatchObject({ arrivalRate: '1000', servers: '1', utilization: '5.0 %' });
    expect(rows.every((r) => !r.overloaded)).toBe(true);
    expect(analysisText(sut.analysis)).toMatch(/^Mean response time [\d.]+ ms; bottleneck /);
  });

  it('flags overloaded stations and the highest rate the deployment sustains', () => {
    const sut = solveCapacity({ ...DEFAULT_MLRUN_PARAMETERS, rate: 5000 }, {});
    const predict = stationRows(sut.analysis).find((r) => r.name === 'predict');
    expect(predict).toMatchObject({ overloaded: true, meanWaitMs: '∞' });
    expect(analysisText(sut.analysis)).toMatch(/^Overloaded: .*predict/);
  });

  it('gives the figures as chart rows', () => {
    const sut = solveCapacity({ ...DEFAULT_MLRUN_PARAMETERS, rate: 800 }, {});
    const fig5 = fig5Rows(sut);
    expect(fig5).toHaveLength(21);
    expect(fig5[0]).toEqual({ pStale: 0, rate: 800 });
    expect(fig5.at(-1)?.rate).toBeCloseTo(0, 9);
    const fig6 = fig6Rows(sut);
    expect(fig6.map((row) => row['lifetime'])).toEqual([...FIG6_L1_LIFETIMES_SECONDS]);
    for (const [i, k] of FIG6_WRAPPERS.entries()) {
      expect(fig6.map((row) => row[`K = ${k}`])).toEqual(sut.fig6[i].points.map((p) => p.y));
    }
  });
});

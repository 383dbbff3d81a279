import { solveMlrun } from './mlrun-network';
import { DEFAULT_MLRUN_PARAMETERS } from './mlrun-parameters';
import { loginRateVsTokenLifetime, predictRateVsStale, utilizationSeries } from './series';

describe(predictRateVsStale.name, () => {
  it('is exactly linear in p_stale: λ·(1 − p_stale)', () => {
    const xs = [0, 0.1, 0.25, 0.5, 0.9, 1];

    const sut = predictRateVsStale({ ...DEFAULT_MLRUN_PARAMETERS, rate: 800 }, xs);

    expect(sut.points.map((p) => p.x)).toEqual(xs);
    for (const { x, y } of sut.points) expect(y).toBeCloseTo(800 * (1 - x), 9);
    // Equal steps in x, equal steps in y.
    const slopes = sut.points
      .slice(1)
      .map((p, i) => (p.y - sut.points[i].y) / (p.x - sut.points[i].x));
    for (const slope of slopes) expect(slope).toBeCloseTo(-800, 9);
  });
});

describe(loginRateVsTokenLifetime.name, () => {
  const lifetimes = [1, 10, 60, 600, 3600, 86_400];

  it('is λ·p_stale = λ·clients / (clients + λ·T) and strictly decreasing', () => {
    const { rate, clients } = DEFAULT_MLRUN_PARAMETERS;

    const sut = loginRateVsTokenLifetime(DEFAULT_MLRUN_PARAMETERS, lifetimes);

    sut.points.forEach(({ x, y }) =>
      expect(y).toBeCloseTo((rate * clients) / (clients + rate * x), 9),
    );
    sut.points.slice(1).forEach((p, i) => expect(p.y).toBeLessThan(sut.points[i].y));
  });

  it('tends to clients / T for long lifetimes and to λ for short ones', () => {
    const sut = loginRateVsTokenLifetime(DEFAULT_MLRUN_PARAMETERS, [1e-6, 86_400]);

    expect(sut.points[0].y).toBeCloseTo(1000, 2);
    expect(sut.points[1].y / (1000 / 86_400)).toBeCloseTo(1, 4);
  });

  it('ignores a p_stale override, which the lifetime is meant to change', () => {
    const sut = loginRateVsTokenLifetime({ ...DEFAULT_MLRUN_PARAMETERS, pStale: 0.5 }, [60, 600]);

    expect(sut.points[0].y).toBeGreaterThan(sut.points[1].y);
  });
});

describe(utilizationSeries.name, () => {
  it('has one bar per station, labelled with its name', () => {
    const solution = solveMlrun(DEFAULT_MLRUN_PARAMETERS);

    const sut = utilizationSeries(solution);

    expect(sut.labels).toEqual(['router', 'token-check', 'validator', 'issuer', 'predict']);
    expect(sut.points.map((p) => p.x)).toEqual([0, 1, 2, 3, 4]);
    expect(sut.points[4].y).toBe(solution.stations[4].utilization);
  });
});

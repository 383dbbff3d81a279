import { solveMlrun } from './mlrun-network';
import { DEFAULT_MLRUN_PARAMETERS } from './mlrun-parameters';
import {
  fig5Series,
  FIG6_L1_LIFETIMES_SECONDS,
  FIG6_WRAPPERS,
  fig6Series,
  loginRateVsTokenLifetime,
  predictRateVsStale,
  pStaleRange,
  utilizationSeries,
  validatorRateVsLifetime,
} from './series';
import { l1MissProbability, staleProbability } from './token-probabilities';

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

  it("shows the 'leave' relation even for parameters that retry", () => {
    const sut = predictRateVsStale({ ...DEFAULT_MLRUN_PARAMETERS, staleRequests: 'retry' }, [0.5]);

    expect(sut.points[0].y).toBeCloseTo(500, 9);
  });
});

describe(validatorRateVsLifetime.name, () => {
  const lifetimes = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
  const p = { ...DEFAULT_MLRUN_PARAMETERS, rate: 200, clients: 100 };

  it('gives one series per K, named by K, with the L1 lifetime on x', () => {
    const sut = validatorRateVsLifetime(p, lifetimes, [1, 2, 4]);

    expect(sut.map((series) => series.name)).toEqual(['K = 1', 'K = 2', 'K = 4']);
    for (const series of sut) expect(series.points.map((point) => point.x)).toEqual(lifetimes);
    expect(sut[0].yLabel).toMatch(/validator/);
  });

  it('is λ·(p_stale + (1 − p_stale)·p_miss) with the token lifetime held', () => {
    const [sut] = validatorRateVsLifetime({ ...p, pMiss: 0.9, pStale: 0.5 }, [1, 10], [3]);

    sut.points.forEach(({ x, y }) => {
      const workload = { rate: 200, clients: 100, tokenLifetimeSeconds: 3600 };
      const pStale = staleProbability(workload);
      const pMiss = l1MissProbability({ ...workload, wrappers: 3, l1TtlSeconds: x });
      expect(y).toBeCloseTo(200 * (pStale + (1 - pStale) * pMiss), 9);
    });
  });

  it('grows with K and falls steeply with the lifetime, low at about 1 s', () => {
    const sut = validatorRateVsLifetime(p, lifetimes, [1, 2, 4]);

    for (const series of sut) {
      series.points
        .slice(1)
        .forEach((point, i) => expect(point.y).toBeLessThan(series.points[i].y));
    }
    lifetimes.forEach((_, i) => {
      expect(sut[1].points[i].y).toBeGreaterThan(sut[0].points[i].y);
      expect(sut[2].points[i].y).toBeGreaterThan(sut[1].points[i].y);
    });
    // r = λ/(C·K) = 2/s per pair at K = 1: about 1/(1 + r·d) of λ at d = 1 s, a third.
    const atOneSecond = sut[0].points[lifetimes.indexOf(1)].y;
    expect(atOneSecond / 200).toBeCloseTo(1 / 3, 2);
    expect(sut[0].points[lifetimes.length - 1].y / 200).toBeLessThan(0.01);
  });

  it('never lets the token live shorter than the L1 TTL; or makes them equal', () => {
    const shortTokens = { ...p, tokenLifetimeSeconds: 5 };
    const [fixed] = validatorRateVsLifetime(shortTokens, [10], [1]);
    const [raised] = validatorRateVsLifetime({ ...p, tokenLifetimeSeconds: 10 }, [10], [1]);
    expect(fixed.points[0].y).toBeCloseTo(raised.points[0].y, 12);

    const [equal] = validatorRateVsLifetime(p, [1, 10], [1], 'equal');
    const [held] = validatorRateVsLifetime(p, [1, 10], [1]);
    // Tokens that live as long as the cache: every token cold, more stale requests.
    equal.points.forEach((point, i) => expect(point.y).toBeGreaterThan(held.points[i].y));
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

describe(pStaleRange.name, () => {
  it('spans 0 to 1 in equal steps', () => {
    expect(pStaleRange(4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(pStaleRange()).toHaveLength(21);
  });
});

describe(fig5Series.name, () => {
  it('is predictRateVsStale over p_stale 0..1', () => {
    const p = { ...DEFAULT_MLRUN_PARAMETERS, rate: 400 };

    expect(fig5Series(p)).toEqual(predictRateVsStale(p, pStaleRange()));
  });
});

describe(fig6Series.name, () => {
  it('draws one line per K over the L1 lifetimes', () => {
    const sut = fig6Series(DEFAULT_MLRUN_PARAMETERS);

    expect(sut.map((s) => s.name)).toEqual(FIG6_WRAPPERS.map((k) => `K = ${k}`));
    for (const line of sut)
      expect(line.points.map((p) => p.x)).toEqual([...FIG6_L1_LIFETIMES_SECONDS]);
  });
});

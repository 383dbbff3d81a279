import { OpenNetwork } from '../network';
import { replicate } from './replicate';

const mm1: OpenNetwork = {
  stations: [{ name: 'a', servers: 1, serviceRate: 10 }],
  arrivals: { a: 5 },
  routing: {},
};

describe(replicate.name, () => {
  it('stops once the runs satisfy n ≥ t²S²/δ²', () => {
    const sut = replicate(mm1, { seed: 1, durationSeconds: 2_000, relativePrecision: 0.01 });
    expect(sut.converged).toBe(true);
    expect(sut.runs).toBeGreaterThanOrEqual(Math.max(5, sut.requiredRuns));
    expect(sut.runs).toBeLessThan(100);
    // One run fewer would not have satisfied the rule (unless minRuns decided).
    if (sut.runs > 5) expect(sut.requiredRuns).toBeGreaterThan(sut.runs - 1);
    const { meanResponseTime } = sut;
    expect(meanResponseTime.halfWidth).toBeLessThanOrEqual(0.01 * meanResponseTime.mean * 1.0001);
    expect(meanResponseTime.runs).toBe(sut.runs);
    // Half-width ≤ 1% of the mean: the M/M/1 value 0.2 s is well within 3% of it.
    expect(Math.abs(meanResponseTime.mean / 0.2 - 1)).toBeLessThan(0.03);
  });

  it('reports no convergence when maxRuns is reached first', () => {
    const sut = replicate(mm1, {
      seed: 1,
      durationSeconds: 50,
      relativePrecision: 0.001,
      maxRuns: 6,
    });
    expect(sut).toMatchObject({ runs: 6, converged: false, confidence: 0.95 });
    expect(sut.requiredRuns).toBeGreaterThan(6);
  });

  it('estimates every station measure with a confidence interval', () => {
    const sut = replicate(mm1, { seed: 2, durationSeconds: 500, minRuns: 8, maxRuns: 8 });
    const [station] = sut.stations;
    expect(station.name).toBe('a');
    for (const measure of [station.arrivalRate, station.utilization, station.p50, station.p99]) {
      expect(measure.runs).toBe(8);
      expect(measure.low).toBeLessThanOrEqual(measure.mean);
      expect(measure.high).toBeGreaterThanOrEqual(measure.mean);
    }
    expect(station.p50.mean).toBeLessThan(station.p90.mean);
    expect(station.p90.mean).toBeLessThan(station.p99.mean);
  });

  it('widens the interval with the confidence', () => {
    const options = { seed: 3, durationSeconds: 200, minRuns: 10, maxRuns: 10 };
    const at95 = replicate(mm1, options).meanResponseTime;
    const at99 = replicate(mm1, { ...options, confidence: 0.99 }).meanResponseTime;
    expect(at99.mean).toBe(at95.mean);
    // Student's t with 9 degrees of freedom at 99.5 % and 97.5 %.
    expect(at99.halfWidth / at95.halfWidth).toBeCloseTo(3.2498355415921263 / 2.2621571627982053, 9);
  });

  it('holds the end-to-end time to the rule; rarely visited stations only on request', () => {
    // b sees one job in 500: its mean sojourn varies wildly from run to run.
    const rare: OpenNetwork = {
      stations: [
        { name: 'a', servers: 1, serviceRate: 10 },
        { name: 'b', servers: 1, serviceRate: 10 },
      ],
      arrivals: { a: 5 },
      routing: { a: { b: 0.002 } },
    };
    const options = { seed: 5, durationSeconds: 1000, relativePrecision: 0.02, maxRuns: 30 };
    const endToEnd = replicate(rare, options);
    const everyStation = replicate(rare, { ...options, stationsToPrecision: true });
    expect(endToEnd.converged).toBe(true);
    expect(endToEnd.runs).toBeLessThan(30);
    expect(everyStation).toMatchObject({ runs: 30, converged: false });
    expect(everyStation.requiredRuns).toBeGreaterThan(endToEnd.requiredRuns * 10);
    expect(endToEnd.stations[1]?.meanSojourn.halfWidth).toBeGreaterThan(0);
  });

  it('is reproducible from its seed', () => {
    const options = { seed: 4, durationSeconds: 100, maxRuns: 7 };
    expect(replicate(mm1, options)).toEqual(replicate(mm1, options));
  });

  it.each([
    ['a confidence of 1', { confidence: 1 }],
    ['a relative precision of 0', { relativePrecision: 0 }],
    ['fewer than two runs', { minRuns: 1 }],
    ['maxRuns below minRuns', { minRuns: 10, maxRuns: 5 }],
    ['a bad duration', { durationSeconds: -1 }],
  ])('rejects %s', (_, override) => {
    expect(() => replicate(mm1, { seed: 1, durationSeconds: 10, ...override })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});

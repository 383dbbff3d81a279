import { sojournQuantile, stationMetrics } from '../analytic';
import { type OpenNetwork, type Station } from '../network';
import { simulate } from './simulate';

// The simulator's split queues and non-exponential service against the analytic forms:
// one long run each (about 100,000 jobs), a few per cent of tolerance.
const single = (station: Omit<Station, 'name'>, arrivalRate: number): OpenNetwork => ({
  stations: [{ name: 'a', ...station }],
  arrivals: { a: arrivalRate },
  routing: {},
});
const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('simulated queue disciplines', () => {
  it('runs deterministic service at 1/μ: the M/D/1 wait is half the M/M/1 one', () => {
    const station = { servers: 1, serviceRate: 10, serviceScv: 0 };
    const [sut] = simulate(single(station, 7), { seed: 1, durationSeconds: 15_000 }).stations;

    expect(relativeError(sut.utilization, 0.7)).toBeLessThan(0.01);
    expect(
      relativeError(sut.meanWait, stationMetrics(7, { name: 'a', ...station }).meanWait),
    ).toBeLessThan(0.05);
    // No sojourn below the one fixed service time.
    expect(sut.sojournPercentiles.p50).toBeGreaterThanOrEqual(0.1 * 0.99);
  });

  it('draws gamma service times with the asked SCV (checked through the M/G/1 wait)', () => {
    for (const serviceScv of [0.25, 3]) {
      const station = { servers: 1, serviceRate: 10, serviceScv };
      const [sut] = simulate(single(station, 6), { seed: 2, durationSeconds: 20_000 }).stations;

      const expected = stationMetrics(6, { name: 'a', ...station }).meanWait;
      expect(relativeError(sut.meanWait, expected)).toBeLessThan(0.07);
    }
  });

  it('lets the serviceTimes option override the station SCV', () => {
    const station = { servers: 1, serviceRate: 10, serviceScv: 0 };
    const net = single(station, 7);
    const options = { seed: 3, durationSeconds: 15_000 };
    const [exponential] = simulate(net, {
      ...options,
      serviceTimes: { a: { kind: 'exponential' } },
    }).stations;

    expect(relativeError(exponential.meanWait, 0.7 / (10 - 7))).toBeLessThan(0.06);
  });

  it('comes near Allen–Cunneen for M/D/c', () => {
    const station = { servers: 3, serviceRate: 4, serviceScv: 0 };
    const [sut] = simulate(single(station, 10), { seed: 4, durationSeconds: 10_000 }).stations;

    const approximation = stationMetrics(10, { name: 'a', ...station }).meanWait;
    expect(relativeError(sut.meanWait, approximation)).toBeLessThan(0.15);
  });

  it('splits the queue: each server an M/M/1 at λ/c, slower than a shared queue', () => {
    const split: Station = { name: 'a', servers: 3, serviceRate: 4, queues: 'split' };
    const net = { ...single(split, 9.6) };
    const [sut] = simulate(net, { seed: 5, durationSeconds: 10_000 }).stations;

    expect(relativeError(sut.utilization, 0.8)).toBeLessThan(0.02);
    expect(relativeError(sut.meanSojourn, 1 / (4 - 3.2))).toBeLessThan(0.05);
    expect(
      relativeError(sut.sojournPercentiles.p99, sojournQuantile(9.6, split, 0.99) as number),
    ).toBeLessThan(0.08);
    const [shared] = simulate(single({ servers: 3, serviceRate: 4 }, 9.6), {
      seed: 5,
      durationSeconds: 10_000,
    }).stations;
    expect(shared.meanSojourn).toBeLessThan(sut.meanSojourn / 2);
  });

  it('gives the M/M/c sojourn p99 that sojournQuantile computes', () => {
    const station: Station = { name: 'a', servers: 3, serviceRate: 4 };
    // ρ = 0.83: long runs, since the tail's estimate moves slowly.
    const [sut] = simulate(single(station, 10), { seed: 6, durationSeconds: 40_000 }).stations;

    const expected = sojournQuantile(10, station, 0.99) as number;
    expect(relativeError(sut.sojournPercentiles.p99, expected)).toBeLessThan(0.08);
  });

  it('rejects a gamma SCV that is not above 0', () => {
    expect(() =>
      simulate(single({ servers: 1, serviceRate: 10 }, 1), {
        seed: 1,
        durationSeconds: 10,
        serviceTimes: { a: { kind: 'gamma', scv: 0 } },
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

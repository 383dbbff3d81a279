import { OpenNetwork, QnetError } from '../network';
import { simulate } from './simulate';

const singleStation = (arrivalRate: number, serviceRate: number, servers = 1): OpenNetwork => ({
  stations: [{ name: 'a', servers, serviceRate }],
  arrivals: { a: arrivalRate },
  routing: {},
});

const tandem: OpenNetwork = {
  stations: [
    { name: 'a', servers: 1, serviceRate: 10 },
    { name: 'b', servers: 2, serviceRate: 4 },
  ],
  arrivals: { a: 5 },
  routing: { a: { b: 1 } },
};

// Erlang C: probability that an arrival waits in an M/M/c queue with offered load a = λ/μ.
function erlangC(servers: number, offeredLoad: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < servers; k++) {
    term *= offeredLoad / k;
    sum += term;
  }
  const rho = offeredLoad / servers;
  const waiting = (term * offeredLoad) / servers / (1 - rho);
  return waiting / (sum + waiting);
}

const relativeError = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe(simulate.name, () => {
  it('returns the same result for the same seed and a different one for another seed', () => {
    const options = { seed: 3, durationSeconds: 200 };
    const first = simulate(tandem, options);
    expect(simulate(tandem, options)).toEqual(first);
    expect(simulate(tandem, { ...options, seed: 4 })).not.toEqual(first);
  });

  it('matches the M/M/1 closed forms: ρ = λ/μ, W = 1/(μ − λ), exponential sojourn', () => {
    const sut = simulate(singleStation(7, 10), { seed: 1, durationSeconds: 100_000 });
    const [station] = sut.stations;
    const sojourn = 1 / (10 - 7);
    expect(relativeError(station.arrivalRate, 7)).toBeLessThan(0.01);
    expect(relativeError(station.throughput, 7)).toBeLessThan(0.01);
    expect(relativeError(station.utilization, 0.7)).toBeLessThan(0.015);
    expect(relativeError(station.meanSojourn, sojourn)).toBeLessThan(0.04);
    expect(relativeError(station.meanWait, 0.7 * sojourn)).toBeLessThan(0.05);
    // The M/M/1 sojourn time is exponential with rate μ − λ: p_q = −ln(1 − q)/(μ − λ).
    expect(relativeError(station.sojournPercentiles.p50, Math.log(2) * sojourn)).toBeLessThan(0.04);
    expect(relativeError(station.sojournPercentiles.p90, Math.log(10) * sojourn)).toBeLessThan(
      0.05,
    );
    expect(relativeError(station.sojournPercentiles.p99, Math.log(100) * sojourn)).toBeLessThan(
      0.08,
    );
    // One station, no routing: the response time is the sojourn.
    expect(sut.meanResponseTime).toBeCloseTo(station.meanSojourn, 12);
    expect(sut.jobsCompleted).toBe(station.completed);
  });

  it('matches Erlang C for an M/M/3 queue', () => {
    const [lambda, mu, servers] = [9, 4, 3];
    const wait = erlangC(servers, lambda / mu) / (servers * mu - lambda);
    const [station] = simulate(singleStation(lambda, mu, servers), {
      seed: 2,
      durationSeconds: 50_000,
    }).stations;
    expect(relativeError(station.utilization, lambda / (servers * mu))).toBeLessThan(0.015);
    expect(relativeError(station.meanWait, wait)).toBeLessThan(0.08);
    expect(relativeError(station.meanSojourn, wait + 1 / mu)).toBeLessThan(0.04);
  });

  it('resamples constant empirical service times as an M/D/1 queue (Pollaczek–Khinchine)', () => {
    // serviceRate is ignored for empirical service: ρ = λ · 0.1 s = 0.6.
    const sut = simulate(singleStation(6, 1), {
      seed: 3,
      durationSeconds: 100_000,
      serviceTimes: { a: { kind: 'empirical', samplesSeconds: [0.1] } },
    });
    const [station] = sut.stations;
    const wait = (0.6 * 0.1) / (2 * (1 - 0.6));
    expect(relativeError(station.utilization, 0.6)).toBeLessThan(0.01);
    expect(relativeError(station.meanWait, wait)).toBeLessThan(0.03);
    expect(station.meanSojourn - station.meanWait).toBeCloseTo(0.1, 9);
  });

  it('resamples uniformly from the measured service times (M/G/1)', () => {
    // E[S] = 0.1 s, E[S²] = 0.0125 s²: Wq = λE[S²] / (2(1 − ρ)).
    const [station] = simulate(singleStation(6, 1), {
      seed: 4,
      durationSeconds: 100_000,
      serviceTimes: { a: { kind: 'empirical', samplesSeconds: [0.05, 0.15] } },
    }).stations;
    expect(relativeError(station.meanWait, (6 * 0.0125) / (2 * 0.4))).toBeLessThan(0.03);
  });

  it('routes jobs through a tandem and adds up the response time', () => {
    const sut = simulate(tandem, { seed: 5, durationSeconds: 20_000 });
    const [a, b] = sut.stations;
    expect(relativeError(b.arrivalRate, 5)).toBeLessThan(0.02);
    expect(relativeError(sut.meanResponseTime, a.meanSojourn + b.meanSojourn)).toBeLessThan(0.01);
    expect(sut.simulatedSeconds).toBe(18_000);
  });

  it('counts nothing during the warmup', () => {
    const sut = simulate(singleStation(5, 10), {
      seed: 6,
      durationSeconds: 1_000,
      warmupSeconds: 999,
    });
    expect(sut.simulatedSeconds).toBe(1);
    expect(sut.stations[0].completed).toBeLessThan(30);
  });

  it('counts busy time from the end of the warmup, not from the last event before it', () => {
    // Service of 100 s under a steady queue: the server is busy all of the measured time.
    const sut = simulate(singleStation(1, 1), {
      seed: 8,
      durationSeconds: 1_000,
      warmupSeconds: 450,
      serviceTimes: { a: { kind: 'empirical', samplesSeconds: [100] } },
    });
    expect(sut.stations[0].utilization).toBeCloseTo(1, 12);
  });

  it('reports NaN means for a station no job reaches', () => {
    const net: OpenNetwork = {
      ...tandem,
      stations: [...tandem.stations, { name: 'idle', servers: 1, serviceRate: 1 }],
    };
    const idle = simulate(net, { seed: 7, durationSeconds: 100 }).stations[2];
    expect(idle).toMatchObject({ arrivalRate: 0, utilization: 0, completed: 0 });
    expect(idle.meanSojourn).toBeNaN();
  });

  it.each([
    ['a zero duration', { seed: 1, durationSeconds: 0 }],
    ['a warmup as long as the run', { seed: 1, durationSeconds: 10, warmupSeconds: 10 }],
    ['a negative warmup', { seed: 1, durationSeconds: 10, warmupSeconds: -1 }],
    ['a fractional seed', { seed: 0.5, durationSeconds: 10 }],
    [
      'empirical service without samples',
      {
        seed: 1,
        durationSeconds: 10,
        serviceTimes: { a: { kind: 'empirical', samplesSeconds: [] } },
      },
    ],
    [
      'a negative service-time sample',
      {
        seed: 1,
        durationSeconds: 10,
        serviceTimes: { a: { kind: 'empirical', samplesSeconds: [0.1, -0.2] } },
      },
    ],
    [
      'service times for an unknown station',
      { seed: 1, durationSeconds: 10, serviceTimes: { x: { kind: 'exponential' } } },
    ],
  ] as const)('rejects %s', (_, options) => {
    expect(() => simulate(tandem, options)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it.each([
    ['no stations', { stations: [], arrivals: {}, routing: {} }],
    ['a routing row above 1', { ...tandem, routing: { a: { b: 0.7, a: 0.4 } } }],
    ['an unknown routing target', { ...tandem, routing: { a: { c: 1 } } }],
    ['a negative arrival rate', { ...tandem, arrivals: { a: -1 } }],
    ['zero servers', { ...tandem, stations: [{ name: 'a', servers: 0, serviceRate: 1 }] }],
  ] as const)('rejects a network with %s', (_, net) => {
    expect(() => simulate(net as OpenNetwork, { seed: 1, durationSeconds: 10 })).toThrow(QnetError);
  });
});

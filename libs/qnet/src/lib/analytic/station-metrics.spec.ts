import { type Station } from '../network';
import { erlangC } from './erlang';
import { mmcMetrics } from './mmc';
import { sojournQuantile, stationMetrics } from './station-metrics';

const station = (servers: number, serviceRate: number, extra: Partial<Station> = {}): Station => ({
  name: 's',
  servers,
  serviceRate,
  ...extra,
});

describe(stationMetrics.name, () => {
  it('is M/M/c for a shared queue with exponential service', () => {
    expect(stationMetrics(8, station(3, 4))).toEqual(mmcMetrics(8, 3, 4));
  });

  it('gives split queues the M/M/1 times at λ/c, and c times the jobs', () => {
    // c = 3, λ = 2.4, μ = 1: each queue an M/M/1 at 0.8, W = 1/(1 − 0.8) = 5 s.
    const sut = stationMetrics(2.4, station(3, 1, { queues: 'split' }));

    expect(sut.utilization).toBeCloseTo(0.8, 12);
    expect(sut.meanSojourn).toBeCloseTo(5, 12);
    expect(sut.meanWait).toBeCloseTo(4, 12);
    expect(sut.meanInSystem).toBeCloseTo(2.4 * 5, 12);
    // Pooling helps: the shared M/M/3 waits far less at the same ρ.
    expect(stationMetrics(2.4, station(3, 1)).meanWait).toBeLessThan(sut.meanWait / 2);
  });

  it('is Pollaczek–Khinchine for one server: Wq = λ·E[S²] / (2(1 − ρ))', () => {
    // μ = 10, λ = 7; E[S²] = (1 + c_s²)/μ².
    for (const scv of [0, 0.25, 1, 4]) {
      const expected = (7 * ((1 + scv) / 100)) / (2 * (1 - 0.7));

      expect(stationMetrics(7, station(1, 10, { serviceScv: scv })).meanWait).toBeCloseTo(
        expected,
        12,
      );
    }
  });

  it('scales the M/M/c wait by (1 + c_s²)/2 for c servers (Allen–Cunneen)', () => {
    const sut = stationMetrics(8, station(3, 4, { serviceScv: 0 }));
    const mmcWait = erlangC(3, 2) / (12 - 8);

    expect(sut.meanWait).toBeCloseTo(mmcWait / 2, 12);
    expect(sut.meanSojourn).toBeCloseTo(mmcWait / 2 + 0.25, 12);
    expect(sut.meanInQueue).toBeCloseTo((8 * mmcWait) / 2, 12);
    expect(sut.utilization).toBeCloseTo(2 / 3, 12);
  });

  it('keeps infinite waits when overloaded', () => {
    expect(stationMetrics(20, station(1, 10, { serviceScv: 0 })).meanWait).toBe(Infinity);
  });
});

describe(sojournQuantile.name, () => {
  it('is −ln(1 − q)/(μ − λ) for M/M/1 and for each split queue', () => {
    expect(sojournQuantile(5, station(1, 10), 0.99)).toBeCloseTo(Math.log(100) / 5, 12);
    expect(sojournQuantile(2.4, station(3, 1, { queues: 'split' }), 0.99)).toBeCloseTo(
      Math.log(100) / 0.2,
      12,
    );
  });

  it('matches the quantile of sampled M/M/c sojourns (wait atom + exponential tail)', () => {
    // An independent draw of T = W + S: W = 0 with probability 1 − C, else Exp(cμ − λ).
    const [servers, mu, lambda] = [3, 4, 10];
    const waiting = erlangC(servers, lambda / mu);
    let seed = 12345;
    const uniform = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const draws = Array.from({ length: 200_000 }, () => {
      const wait = uniform() < waiting ? -Math.log(uniform()) / (servers * mu - lambda) : 0;
      return wait - Math.log(uniform()) / mu;
    }).sort((a, b) => a - b);

    const sut = sojournQuantile(lambda, station(servers, mu), 0.99) as number;

    expect(Math.abs(sut / draws[Math.floor(0.99 * draws.length)] - 1)).toBeLessThan(0.02);
    expect(sut).toBeGreaterThan(Math.log(100) / mu); // more than the service alone
  });

  it('is null where it is not exact: non-exponential service or overload', () => {
    expect(sojournQuantile(5, station(1, 10, { serviceScv: 0 }), 0.99)).toBeNull();
    expect(sojournQuantile(20, station(1, 10), 0.99)).toBeNull();
  });
});

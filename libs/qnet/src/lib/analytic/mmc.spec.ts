import { mmc, mmcMetrics } from './mmc';

describe(mmc.name, () => {
  it('matches the M/M/1 closed forms', () => {
    const [lambda, mu] = [6, 10];
    const rho = lambda / mu;

    const sut = mmc(lambda, 1, mu);

    expect(sut.utilization).toBeCloseTo(rho, 12);
    expect(sut.waitProbability).toBeCloseTo(rho, 12);
    expect(sut.meanSojourn).toBeCloseTo(1 / (mu - lambda), 12);
    expect(sut.meanWait).toBeCloseTo(rho / (mu - lambda), 12);
    expect(sut.meanInSystem).toBeCloseTo(rho / (1 - rho), 12);
    expect(sut.meanInQueue).toBeCloseTo(rho ** 2 / (1 - rho), 12);
  });

  it('matches M/M/2 computed by hand', () => {
    // λ = 2, μ = 2, c = 2: a = 1, ρ = 1/2, C = 1/3, Wq = C / (cμ − λ) = 1/6.
    const sut = mmc(2, 2, 2);

    expect(sut.waitProbability).toBeCloseTo(1 / 3, 12);
    expect(sut.meanWait).toBeCloseTo(1 / 6, 12);
    expect(sut.meanSojourn).toBeCloseTo(1 / 6 + 1 / 2, 12);
  });

  it("obeys Little's law", () => {
    const sut = mmc(37, 5, 9);

    expect(sut.meanInSystem).toBeCloseTo(37 * sut.meanSojourn, 12);
    expect(sut.meanInQueue).toBeCloseTo(37 * sut.meanWait, 12);
    expect(sut.meanInSystem - sut.meanInQueue).toBeCloseTo(37 / 9, 12); // busy servers = a
  });

  it('has pure service time without load', () => {
    expect(mmc(0, 3, 4)).toEqual(
      expect.objectContaining({ utilization: 0, meanWait: 0, meanSojourn: 0.25, meanInSystem: 0 }),
    );
  });

  it('throws UNSTABLE at ρ = 1 and above', () => {
    expect(() => mmc(10, 1, 10)).toThrow(expect.objectContaining({ code: 'UNSTABLE' }));
    expect(() => mmc(25, 2, 10)).toThrow(expect.objectContaining({ code: 'UNSTABLE' }));
  });

  it('rejects negative arrival rates and non-positive service rates', () => {
    expect(() => mmc(-1, 1, 10)).toThrow(expect.objectContaining({ code: 'NEGATIVE_RATE' }));
    expect(() => mmc(1, 1, 0)).toThrow(expect.objectContaining({ code: 'NEGATIVE_RATE' }));
    expect(() => mmc(1, 1, Number.NaN)).toThrow(expect.objectContaining({ code: 'NEGATIVE_RATE' }));
  });
});

describe(mmcMetrics.name, () => {
  it('reports an overloaded station with infinite waits instead of throwing', () => {
    const sut = mmcMetrics(30, 2, 10);

    expect(sut.utilization).toBeCloseTo(1.5, 12);
    expect(sut.waitProbability).toBe(1);
    expect(sut.meanSojourn).toBe(Number.POSITIVE_INFINITY);
  });
});

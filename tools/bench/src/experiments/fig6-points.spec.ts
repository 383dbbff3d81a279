import { pointTiming, validatorRates } from './fig6-points';

const rule = { minCycles: 2, minWindow: 20, minWarmup: 3 };

describe('pointTiming', () => {
  it('warms up 1.5 cycles of d + 1/r and measures a whole number of cycles', () => {
    // r = 100 / (10·1) = 10/s: cycle 60.1 s; the window's edges fall between bursts.
    const timing = pointTiming(60, { rate: 100, clients: 10, wrappers: 1 }, rule);
    expect(timing.cycleSeconds).toBeCloseTo(60.1, 10);
    expect(timing.warmupSeconds).toBeCloseTo(90.15, 10);
    expect(timing.windowSeconds).toBeCloseTo(120.2, 10);
  });

  it('stretches short lifetimes to the minimum window, still in whole cycles', () => {
    // K = 4: r = 2.5/s, cycle 0.5 s; 20 s is 40 cycles.
    const timing = pointTiming(0.1, { rate: 100, clients: 10, wrappers: 4 }, rule);
    expect(timing.cycleSeconds).toBeCloseTo(0.5, 10);
    expect(timing.warmupSeconds).toBe(3);
    expect(timing.windowSeconds / timing.cycleSeconds).toBeCloseTo(40, 10);
  });
});

describe('validatorRates', () => {
  const workload = { rate: 100, clients: 10, wrappers: 2 };

  it('is λ/(1 + r·d) in steady state when the token outlives the window', () => {
    // r = 5/s, d = 1 s: p_miss ≈ 1/6 (plus a cold start per hour-long token).
    const { steady } = validatorRates(1, 3600, workload, 10);
    expect(steady).toBeCloseTo(100 / 6, 1);
  });

  it('reads higher in a window that starts cold, by about C·K/W', () => {
    const window = 10;
    const { steady, coldWindow } = validatorRates(1, 3600, workload, window);
    expect(coldWindow).toBeGreaterThan(steady);
    // Each of the 20 pairs' cold start adds a²/(2(1 + a)²) < 1 miss (a = r·d) over W.
    expect(coldWindow - steady).toBeLessThan((10 * 2) / window);
  });

  it('grows with K and falls with the lifetime', () => {
    const at = (d: number, wrappers: number) =>
      validatorRates(d, 3600, { ...workload, wrappers }, 20).steady;
    expect(at(1, 4)).toBeGreaterThan(at(1, 2));
    expect(at(1, 2)).toBeGreaterThan(at(1, 1));
    expect(at(10, 2)).toBeLessThan(at(1, 2));
  });
});

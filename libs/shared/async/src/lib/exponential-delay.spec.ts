import { exponentialDelayMs } from './exponential-delay';

describe(exponentialDelayMs.name, () => {
  it('doubles from initialMs up to maxMs', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((n) =>
      exponentialDelayMs(n, { initialMs: 100, maxMs: 2_000 }),
    );
    expect(delays).toEqual([100, 200, 400, 800, 1_600, 2_000]);
  });

  it('stays at maxMs however many failures, even from an initialMs of 0', () => {
    expect(exponentialDelayMs(5_000, { initialMs: 100, maxMs: 2_000 })).toBe(2_000);
    expect(exponentialDelayMs(5_000, { initialMs: 0, maxMs: 2_000 })).toBe(0);
    expect(exponentialDelayMs(-1, { initialMs: 100, maxMs: 2_000 })).toBe(100);
  });

  it('spreads each delay over ±jitter of itself', () => {
    const delay = { initialMs: 200, maxMs: 5_000, jitter: 0.2 };
    expect(exponentialDelayMs(0, delay, 0)).toBe(160);
    expect(exponentialDelayMs(0, delay, 0.5)).toBe(200);
    expect(exponentialDelayMs(0, delay, 0.999)).toBe(240);
    expect(exponentialDelayMs(10, delay, 0.5)).toBe(5_000);
  });
});

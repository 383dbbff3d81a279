import { LogHistogram } from './log-histogram';
import { createRng } from './rng';

describe(LogHistogram.name, () => {
  it('reports quantiles within 0.5% of the exact sample quantiles', () => {
    const sut = new LogHistogram();
    const rng = createRng(9);
    // Log-uniform over six decades, so every bin width matters.
    const samples = Array.from({ length: 20_000 }, () => 1e-5 * Math.pow(10, 6 * rng()));
    samples.forEach((sample) => sut.record(sample));
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.01, 0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1];
      expect(Math.abs(sut.quantile(q) / exact - 1)).toBeLessThan(0.005);
    }
    expect(sut.count).toBe(20_000);
  });

  it('reports NaN before anything is recorded and 0 for values below a nanosecond', () => {
    const sut = new LogHistogram();
    expect(sut.quantile(0.5)).toBeNaN();
    sut.record(0);
    sut.record(0);
    sut.record(1);
    expect(sut.quantile(0.5)).toBe(0);
    expect(sut.quantile(0.9)).toBeCloseTo(1, 2);
  });
});

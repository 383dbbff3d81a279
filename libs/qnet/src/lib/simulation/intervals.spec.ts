import { QnetError } from '../network';
import { meanInterval, requiredSamples } from './intervals';
import { studentQuantile } from './student-t';

describe(studentQuantile.name, () => {
  it('matches a t table and tends to the normal quantile', () => {
    expect(studentQuantile(0.95, 4)).toBeCloseTo(2.7764, 4);
    expect(studentQuantile(0.95, 29)).toBeCloseTo(2.0452, 4);
    expect(studentQuantile(0.99, 9)).toBeCloseTo(3.2498, 4);
    expect(studentQuantile(0.95, 1e7)).toBeCloseTo(1.96, 3);
  });

  it('rejects a confidence outside (0, 1) and non-positive degrees of freedom', () => {
    expect(() => studentQuantile(1, 4)).toThrow(QnetError);
    expect(() => studentQuantile(0.95, 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});

describe(meanInterval.name, () => {
  it("is mean ± t_{n−1}·S/√n with Student's t", () => {
    // S = √2.5, n = 5, t₄(97.5 %) = 2.7764 from a table.
    const sut = meanInterval([10, 12, 11, 13, 9], 0.95);

    expect(sut.mean).toBe(11);
    expect(sut.n).toBe(5);
    expect(sut.halfWidth).toBeCloseTo((2.7764 * Math.sqrt(2.5)) / Math.sqrt(5), 3);
  });

  it('covers the true mean about as often as it says, with few samples', () => {
    // 4000 intervals from 5 normal samples each: the normal quantile would cover ~88 %.
    let seed = 7;
    const uniform = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    let covered = 0;
    for (let i = 0; i < 4000; i++) {
      const { mean, halfWidth } = meanInterval(Array.from({ length: 5 }, normal), 0.95);
      if (Math.abs(mean) <= halfWidth) covered++;
    }
    // Binomial(4000, 0.95): standard error 0.0034; four of them either side.
    expect(Math.abs(covered / 4000 - 0.95)).toBeLessThan(0.014);
  });

  it('skips non-finite samples, is infinitely wide from one, and rejects none', () => {
    expect(meanInterval([1, NaN, 3]).n).toBe(2);
    expect(meanInterval([4]).halfWidth).toBe(Infinity);
    expect(() => meanInterval([NaN])).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

describe(requiredSamples.name, () => {
  it('solves n ≥ t²_{n−1}·S²/δ² with δ relative to the pilot mean', () => {
    // Mean 10, S² = 1, δ = 0.05·10 = 0.5: n ≥ 4·t²_{n−1}. From a t table: n = 17 gives
    // 4·2.1199² = 17.98 > 17, n = 18 gives 4·2.1098² = 17.81 ≤ 18. The normal quantile
    // alone would stop at ⌈4·1.96²⌉ = 16.
    expect(requiredSamples([9, 11, 9, 11, 10], 0.05, 0.95)).toBe(18);
  });

  it('rejects a pilot under two samples, a zero mean and a bad precision', () => {
    expect(() => requiredSamples([1], 0.1)).toThrow(QnetError);
    expect(() => requiredSamples([-1, 1], 0.1)).toThrow(QnetError);
    expect(() => requiredSamples([1, 2], 0)).toThrow(QnetError);
  });
});

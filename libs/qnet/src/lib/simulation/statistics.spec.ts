import { estimate, summarize } from './statistics';

describe(summarize.name, () => {
  it('gives the mean and the n − 1 standard deviation of the finite values', () => {
    expect(summarize([2, 4, 4, 4, 5, 5, 7, 9, NaN])).toEqual({
      mean: 5,
      stdDev: Math.sqrt(32 / 7),
      count: 8,
    });
  });
});

describe(estimate.name, () => {
  it('gives mean ± t·S/√n', () => {
    const sut = estimate([1, 2, 3, 4], 2);
    const halfWidth = (2 * Math.sqrt(5 / 3)) / 2;
    expect(sut).toEqual({
      mean: 2.5,
      halfWidth,
      low: 2.5 - halfWidth,
      high: 2.5 + halfWidth,
      runs: 4,
    });
  });

  it('is infinitely wide from one run and undefined from none', () => {
    expect(estimate([3], 1.96).halfWidth).toBe(Infinity);
    expect(estimate([NaN], 1.96).mean).toBeNaN();
  });
});

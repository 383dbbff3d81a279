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
  it("gives mean ± t·S/√n with Student's t for n − 1 degrees of freedom", () => {
    const sut = estimate([1, 2, 3, 4], 0.95);
    const halfWidth = (3.18245 * Math.sqrt(5 / 3)) / 2; // t₃ at 97.5 %, from a table
    expect(sut).toMatchObject({ mean: 2.5, runs: 4 });
    expect(sut.halfWidth).toBeCloseTo(halfWidth, 5);
    expect(sut.low).toBeCloseTo(2.5 - halfWidth, 5);
    expect(sut.high).toBeCloseTo(2.5 + halfWidth, 5);
  });

  it('is infinitely wide from one run and undefined from none', () => {
    expect(estimate([3], 0.95).halfWidth).toBe(Infinity);
    expect(estimate([NaN], 0.95).mean).toBeNaN();
  });
});

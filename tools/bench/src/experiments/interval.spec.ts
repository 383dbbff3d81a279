import { batchMeans, deltas, tInterval } from './interval';

describe('tInterval', () => {
  it("uses Student's t with n − 1 degrees of freedom, not the normal quantile", () => {
    // Four values: mean 100, S² = 10/3, t_{0.975,3} = 3.182446.
    const result = tInterval([98, 102, 101, 99]);
    expect(result.mean).toBe(100);
    expect(result.halfWidth).toBeCloseTo((3.182446 * Math.sqrt(10 / 3)) / 2, 5);
    expect(result.low).toBeCloseTo(100 - result.halfWidth, 10);
    expect(result.batches).toBe(4);
  });

  it('is infinitely wide from one batch and empty from none', () => {
    expect(tInterval([5]).halfWidth).toBe(Infinity);
    expect(tInterval([]).batches).toBe(0);
    expect(tInterval([NaN, 3, Infinity]).batches).toBe(1);
  });
});

describe('batchMeans', () => {
  it('averages equal consecutive batches and drops the remainder', () => {
    expect(batchMeans([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1.5, 3.5, 5.5]);
  });

  it('keeps the values when there are fewer than batches', () => {
    expect(batchMeans([4, 8], 5)).toEqual([4, 8]);
  });
});

describe('deltas', () => {
  it('gives the increase between consecutive samples', () => {
    expect(deltas([10, 14, 20])).toEqual([4, 6]);
  });
});

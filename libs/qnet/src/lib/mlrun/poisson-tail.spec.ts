import { poissonTailAtLeast } from './poisson-tail';

// Reference by direct summation of the pmf in log space: P(N ≥ k) = 1 − Σ_{j<k} pmf(j).
function tailBySummation(k: number, mean: number): number {
  let logPmf = -mean;
  let below = 0;
  for (let j = 0; j < k; j++) {
    below += Math.exp(logPmf);
    logPmf += Math.log(mean) - Math.log(j + 1);
  }
  return 1 - below;
}

describe(poissonTailAtLeast.name, () => {
  it.each([
    [1, 2],
    [3, 0.5],
    [5, 5],
    [10, 3],
    [4, 30],
    [200, 180],
    [200, 230],
  ])('matches direct summation for k=%d, mean=%d', (k, mean) => {
    expect(poissonTailAtLeast(k, mean)).toBeCloseTo(tailBySummation(k, mean), 12);
  });

  it('is 1 − e^{−mean} for k = 1 and 0 for a zero mean', () => {
    expect(poissonTailAtLeast(1, 0.3)).toBeCloseTo(1 - Math.exp(-0.3), 14);
    expect(poissonTailAtLeast(3, 0)).toBe(0);
  });

  it('stays in [0, 1] for huge means', () => {
    expect(poissonTailAtLeast(700, 1e6)).toBe(1);
    expect(poissonTailAtLeast(5000, 10)).toBe(0);
  });
});

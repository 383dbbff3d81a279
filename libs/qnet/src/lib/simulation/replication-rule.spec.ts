import { QnetError } from '../network';
import { laplaceQuantile, requiredRuns } from './replication-rule';

// Φ₀(x) = (1/√(2π))∫₀ˣ e^(−u²/2) du by composite Simpson's rule, independent of the
// quantile's rational approximation.
function laplaceFunction(x: number): number {
  const steps = 2000;
  const h = x / steps;
  let sum = 1 + Math.exp((-x * x) / 2);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * Math.exp(-((i * h) ** 2) / 2);
  return (sum * h) / 3 / Math.sqrt(2 * Math.PI);
}

describe(laplaceQuantile.name, () => {
  it.each([
    [0.9, 1.6448536269514715],
    [0.95, 1.959963984540054],
    [0.99, 2.5758293035489],
    [0.999, 3.2905267314919255],
  ])('gives t(%p) = %p', (confidence, t) => {
    expect(laplaceQuantile(confidence)).toBeCloseTo(t, 12);
  });

  it.each([0.01, 0.3, 0.68, 0.8, 0.9973, 0.999999, 1 - 1e-12])(
    'solves 2·Φ₀(t) = %p',
    (confidence) => {
      expect(2 * laplaceFunction(laplaceQuantile(confidence))).toBeCloseTo(confidence, 10);
    },
  );

  it('rejects a confidence outside (0, 1)', () => {
    expect(() => laplaceQuantile(1)).toThrow(QnetError);
    expect(() => laplaceQuantile(0)).toThrow(QnetError);
    expect(() => laplaceQuantile(95)).toThrow(QnetError);
  });
});

describe(requiredRuns.name, () => {
  it("solves n ≥ t²·S²/δ² with Student's t for n − 1 degrees of freedom", () => {
    // From a t table: n = 64: t₆₃(97.5 %) = 1.9983, 1.9983² · 16 = 63.89 ≤ 64; n = 63:
    // t₆₂ = 1.9990, 63.93 > 63. (The normal quantile alone said 62.)
    expect(requiredRuns(0.004, 0.001, 0.95)).toBe(64);
    // n = 31: t₃₀(99.5 %) = 2.7500, 2.75² · 4 = 30.25 ≤ 31; n = 30: t₂₉ = 2.7564, 30.39 > 30.
    expect(requiredRuns(2, 1, 0.99)).toBe(31);
    // No spread: any n will do, but t needs two runs.
    expect(requiredRuns(0, 1, 0.95)).toBe(2);
  });

  it('rejects a precision that is not positive or a negative deviation', () => {
    expect(() => requiredRuns(1, 0, 0.95)).toThrow(QnetError);
    expect(() => requiredRuns(-1, 1, 0.95)).toThrow(QnetError);
    expect(() => requiredRuns(1, 1, 1.5)).toThrow(QnetError);
  });
});

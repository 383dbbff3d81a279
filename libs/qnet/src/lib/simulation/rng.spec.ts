import { QnetError } from '../network';
import { createRng, exponential, replicationSeed } from './rng';

const draw = (rng: () => number, count: number): number[] =>
  Array.from({ length: count }, () => rng());

describe(createRng.name, () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draw(createRng(42), 100)).toEqual(draw(createRng(42), 100));
  });

  it('gives unrelated sequences for neighbouring seeds', () => {
    const a = draw(createRng(1), 1000);
    const b = draw(createRng(2), 1000);
    expect(a).not.toEqual(b);
    const meanA = a.reduce((sum, x) => sum + x, 0) / a.length;
    const meanB = b.reduce((sum, x) => sum + x, 0) / b.length;
    const covariance = a.reduce((sum, x, i) => sum + (x - meanA) * (b[i] - meanB), 0) / a.length;
    // Correlation of independent uniforms over 1000 draws: |r| < 0.1 at ~3 standard errors.
    expect(Math.abs(covariance * 12)).toBeLessThan(0.1);
  });

  it('draws uniformly from [0, 1)', () => {
    const rng = createRng(7);
    const bins = new Array<number>(10).fill(0);
    const count = 100_000;
    let [min, max] = [1, 0];
    for (let i = 0; i < count; i++) {
      const u = rng();
      [min, max] = [Math.min(min, u), Math.max(max, u)];
      bins[Math.floor(u * 10)]++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const expected = count / 10;
    const chiSquare = bins.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: P(χ² > 27.9) = 0.001.
    expect(chiSquare).toBeLessThan(27.9);
  });

  it('accepts seeds beyond 32 bits and tells them apart', () => {
    expect(draw(createRng(2 ** 40 + 1), 5)).not.toEqual(draw(createRng(1), 5));
    expect(draw(createRng(-3), 5)).toEqual(draw(createRng(-3), 5));
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => createRng(1.5)).toThrow(QnetError);
    expect(() => createRng(NaN)).toThrow(QnetError);
  });
});

describe(exponential.name, () => {
  it('has mean 1 / rate and the exponential tail', () => {
    const rng = createRng(3);
    const samples = Array.from({ length: 200_000 }, () => exponential(rng, 4));
    const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length;
    expect(mean).toBeCloseTo(0.25, 2);
    const beyondOneSecond = samples.filter((x) => x > 1).length / samples.length;
    expect(beyondOneSecond).toBeCloseTo(Math.exp(-4), 3);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => exponential(createRng(1), 0)).toThrow(QnetError);
    expect(() => exponential(createRng(1), -2)).toThrow(QnetError);
  });
});

describe(replicationSeed.name, () => {
  it('derives distinct, reproducible seeds per run', () => {
    const seeds = Array.from({ length: 1000 }, (_, run) => replicationSeed(11, run));
    expect(new Set(seeds).size).toBe(1000);
    expect(replicationSeed(11, 3)).toBe(seeds[3]);
    expect(replicationSeed(12, 3)).not.toBe(seeds[3]);
  });
});

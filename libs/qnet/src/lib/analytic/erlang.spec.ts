import { QnetError } from '../network';
import { erlangB, erlangC } from './erlang';

// Independent reference: the textbook closed form
// C(c, a) = [a^c/c! · c/(c−a)] / [Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)],
// summed in log space so it also works for c in the thousands.
function erlangCReference(c: number, a: number): number {
  const logTerms: number[] = [];
  let logTerm = 0; // ln(a^0 / 0!)
  for (let k = 0; k < c; k++) {
    logTerms.push(logTerm);
    logTerm += Math.log(a) - Math.log(k + 1);
  }
  const logTail = logTerm + Math.log(c / (c - a));
  const max = Math.max(logTail, ...logTerms);
  const head = logTerms.reduce((sum, t) => sum + Math.exp(t - max), 0);
  const tail = Math.exp(logTail - max);
  return tail / (head + tail);
}

describe(erlangC.name, () => {
  it.each([
    // [c, a, published table value]
    [2, 1, 1 / 3],
    [5, 4, 0.5541],
    [10, 8, 0.4092],
    [3, 2, 0.4444],
    [20, 15, 0.1604],
  ])('matches the published value for c=%d, a=%d', (c, a, published) => {
    const sut = erlangC(c, a);

    expect(sut).toBeCloseTo(published, 4);
    expect(sut).toBeCloseTo(erlangCReference(c, a), 12);
  });

  it('equals ρ for a single server (M/M/1)', () => {
    expect(erlangC(1, 0.3)).toBeCloseTo(0.3, 12);
    expect(erlangC(1, 0.9)).toBeCloseTo(0.9, 12);
  });

  it('stays finite and accurate for a thousand servers and more', () => {
    for (const [c, a] of [
      [1000, 950],
      [1000, 999],
      [5000, 4900],
    ]) {
      const sut = erlangC(c, a);

      expect(Number.isFinite(sut)).toBe(true);
      expect(sut).toBeGreaterThan(0);
      expect(sut).toBeLessThan(1);
      expect(sut).toBeCloseTo(erlangCReference(c, a), 9);
    }
  });

  it('is 0 without load and 1 at or beyond saturation', () => {
    expect(erlangC(3, 0)).toBe(0);
    expect(erlangC(3, 3)).toBe(1);
    expect(erlangC(3, 7)).toBe(1);
  });

  it('rejects a server count that is not a positive integer', () => {
    for (const c of [0, -1, 1.5, Number.NaN]) {
      expect(() => erlangC(c, 1)).toThrow(expect.objectContaining({ code: 'INVALID_NETWORK' }));
    }
  });

  it('rejects a negative or non-finite load', () => {
    for (const a of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => erlangC(2, a)).toThrow(QnetError);
      expect(() => erlangC(2, a)).toThrow(expect.objectContaining({ code: 'NEGATIVE_RATE' }));
    }
  });
});

describe(erlangB.name, () => {
  it('matches B(c, a) = (a^c/c!) / Σ_{k≤c} a^k/k! for small c', () => {
    // c = 3, a = 2: (8/6) / (1 + 2 + 2 + 8/6) = 4/19
    expect(erlangB(3, 2)).toBeCloseTo(4 / 19, 12);
  });
});

import { poissonArrivals, type Arrival } from './index';

function take(count: number, rate: number, clients: number, seed: number): Arrival[] {
  const arrivals: Arrival[] = [];
  for (const arrival of poissonArrivals(rate, clients, seed)) {
    arrivals.push(arrival);
    if (arrivals.length === count) break;
  }
  return arrivals;
}

describe('poissonArrivals', () => {
  const rate = 250;
  const arrivals = take(20_000, rate, 4, 42);
  const gaps = arrivals.map((a, i) => a.atMs - (i === 0 ? 0 : (arrivals[i - 1]?.atMs ?? 0)));
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;

  it('arrives at the asked mean rate', () => {
    // 20 000 exponential gaps: the mean's standard error is 0.7%; 3% is over 4 sigma.
    expect(mean).toBeGreaterThan((1000 / rate) * 0.97);
    expect(mean).toBeLessThan((1000 / rate) * 1.03);
  });

  it('has exponential gaps: P(gap > mean) near e^-1, coefficient of variation near 1', () => {
    const longer = gaps.filter((gap) => gap > 1000 / rate).length / gaps.length;
    expect(Math.abs(longer - Math.exp(-1))).toBeLessThan(0.02);
    const sd = Math.sqrt(gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
    // A memoryless stream has many short gaps: P(gap < mean/10) = 1 - e^-0.1 (about 9.5%).
    const short = gaps.filter((gap) => gap < 100 / rate).length / gaps.length;
    expect(Math.abs(short - (1 - Math.exp(-0.1)))).toBeLessThan(0.015);
  });

  it('draws each arrival to a client uniformly', () => {
    for (let client = 0; client < 4; client++) {
      const share = arrivals.filter((a) => a.client === client).length / arrivals.length;
      expect(Math.abs(share - 0.25)).toBeLessThan(0.02);
    }
  });

  it('repeats for a seed and differs across seeds', () => {
    expect(take(50, rate, 4, 42)).toEqual(arrivals.slice(0, 50));
    expect(take(50, rate, 4, 43)).not.toEqual(arrivals.slice(0, 50));
  });

  it('refuses a rate that is not positive', () => {
    expect(() => take(1, 0, 1, 1)).toThrow(/rate must be > 0/);
  });
});

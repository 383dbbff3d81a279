import { formatMs, formatPercent, formatProbability, formatRate, plusMinus } from './report-units';

describe(formatMs.name, () => {
  it.each([
    [0.25, '250'],
    [0.01234, '12.3'],
    [0.001234, '1.23'],
    [0.00005, '0.050'],
    [0, '0'],
    [Number.POSITIVE_INFINITY, '∞'],
    [Number.NaN, '-'],
  ])('shows %p s as %p ms', (seconds, text) => {
    expect(formatMs(seconds)).toBe(text);
  });
});

describe(formatRate.name, () => {
  it.each([
    [10000, '10000'],
    [9999.72, '10000'],
    [196.23, '196.2'],
    [0.27777, '0.2778'],
  ])('shows %p as %p', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
});

describe('the other formats', () => {
  it('shows fractions as %, probabilities with 3 digits, estimates as mean ± half-width', () => {
    expect(formatPercent(0.625)).toBe('62.5');
    expect(formatProbability(1000 / 3_601_000)).toBe('0.000278');
    expect(plusMinus({ mean: 0.002, halfWidth: 0.0001 }, formatMs)).toBe('2.00 ± 0.100');
    expect(plusMinus({ mean: Number.NaN, halfWidth: Number.NaN }, formatMs)).toBe('-');
  });
});

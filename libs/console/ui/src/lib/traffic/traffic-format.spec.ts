import { formatClock, formatLatency, formatPerSecond, formatShare } from './traffic-format';

describe('traffic formats', () => {
  it.each([
    [0.9, '90.0%'],
    [0.1, '10.0%'],
    [1 / 3, '33.3%'],
    [0, '0.0%'],
    [null, '—'],
  ])('shows the share %p as %p', (ratio, text) => {
    expect(formatShare(ratio)).toBe(text);
  });

  it.each([
    [12.345, '12.3'],
    [250.4, '250'],
    [0, '0.0'],
    [null, '—'],
  ])('shows %p per second as %p', (rate, text) => {
    expect(formatPerSecond(rate)).toBe(text);
  });

  it.each([
    [0.0042, '4.20 ms'],
    [0.0123, '12.3 ms'],
    [0.25, '250 ms'],
    [null, '—'],
  ])('shows a latency of %p s as %p', (seconds, text) => {
    expect(formatLatency(seconds)).toBe(text);
  });

  it('shows a sample time as HH:MM:SS', () => {
    expect(formatClock(new Date(2026, 11, 6, 9, 5, 7).getTime())).toBe('09:05:07');
  });
});

import type { MetricSeries } from '../loadgen';
import { measuredWindow, rateInterval, windowRates } from './window-series';

// Two wrappers scraped every second; wrapper-1 counts 10/s, wrapper-2 20/s.
function series(startedAt: number): MetricSeries {
  const scrapes = (perSecond: number) =>
    Array.from({ length: 12 }, (_, t) => ({
      t,
      values: { 'calls_total{result="active"}': perSecond * t },
    }));
  return {
    startedAt,
    scrapes: { 'wrapper-1': scrapes(10), 'wrapper-2': scrapes(20) },
    failures: { 'wrapper-1': 0, 'wrapper-2': 0 },
  };
}

describe('measuredWindow', () => {
  it('shifts the window by how much later the load started than the scraper', () => {
    const window = measuredWindow(
      { startedAt: 1_500 },
      { startedAt: 1_000 },
      { warmupSeconds: 2, seconds: 5 },
    );
    expect(window).toEqual({ from: 2.5, to: 7.5 });
  });
});

describe('windowRates', () => {
  it('sums the targets per second inside the window, its first second left out', () => {
    const rates = windowRates(series(0), ['wrapper-1', 'wrapper-2'], /^calls_total/, {
      from: 2,
      to: 7,
    });
    // Scrapes at t = 4, 5, 6, 7 end intervals inside (3, 7].
    expect(rates).toEqual([30, 30, 30, 30]);
  });
});

describe('rateInterval', () => {
  it('is the t interval of the batch means', () => {
    expect(rateInterval([30, 30, 30, 30], 2)).toMatchObject({ mean: 30, halfWidth: 0, batches: 2 });
  });
});

// Per-second counter rates from the stack's /metrics, cut to a load run's measured window.
import { ratePerSecond, type MetricSeries } from '../loadgen';
import { batchMeans, tInterval, type Interval } from './interval';

/**
 * A load run's measured window in the scraped series' seconds: the schedule starts a
 * little after the scraper (the clients log in first), so both clocks' epochs line it up.
 */
export function measuredWindow(
  load: { startedAt: number },
  series: Pick<MetricSeries, 'startedAt'>,
  window: { warmupSeconds: number; seconds: number },
): { from: number; to: number } {
  const offset = (load.startedAt - series.startedAt) / 1000;
  const from = offset + window.warmupSeconds;
  return { from, to: from + window.seconds };
}

/**
 * The summed per-second rate of a counter over several targets (the K wrappers), for the
 * scrapes that fall inside [from, to] seconds of the series (see measuredWindow). The first
 * second is left out: its scrape interval straddles the window's start.
 */
export function windowRates(
  series: MetricSeries,
  targets: readonly string[],
  metric: string | RegExp,
  window: { from: number; to: number },
): number[] {
  const perTarget = targets.map((target) =>
    ratePerSecond(series, target, metric).filter((r) => r.t > window.from + 1 && r.t <= window.to),
  );
  const length = Math.min(...perTarget.map((rates) => rates.length));
  return Array.from({ length }, (_, i) =>
    perTarget.reduce((sum, rates) => sum + (rates[i]?.perSecond ?? 0), 0),
  );
}

/** The t interval of a per-second series' mean, over `batches` batch means. */
export function rateInterval(perSecond: readonly number[], batches: number): Interval {
  return tInterval(batchMeans(perSecond, batches));
}

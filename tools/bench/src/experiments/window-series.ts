// Per-second counter rates from the stack's /metrics, cut to a load run's measured window.
import { ratePerSecond, type MetricSeries } from '../loadgen';
import { batchMeans, tInterval, type Interval } from './interval';

/**
 * The summed per-second rate of a counter over several targets (the K wrappers), for the
 * scrapes that fall inside [from, to] seconds of the series: the scraper starts when the
 * load does, so the window is [warm-up, warm-up + seconds]. The first second after the
 * warm-up is left out: its scrape interval straddles the boundary.
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

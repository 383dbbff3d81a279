import { parsePrometheusText, sumOf } from './prometheus-text';
import type { CounterSample, MetricSeries, ScrapeTarget } from './types';

/** One read of a service's /metrics; a refused scrape throws (it must not read as zeros). */
export async function scrapeCounters(target: ScrapeTarget): Promise<CounterSample> {
  const response = await fetch(`${target.url}/metrics`, { headers: target.headers ?? {} });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(
      `${target.name}: GET /metrics answered ${response.status}: ${text.slice(0, 200)}`,
    );
  return parsePrometheusText(text);
}

/**
 * Reads every target's /metrics once per second until stop(), which resolves with all
 * the scrapes (one more is taken at stop, so the series covers the whole window). A
 * failed scrape is counted per target and skipped; a tick still running when the next is
 * due is not doubled.
 */
export function scrapeEverySecond(
  targets: ScrapeTarget[],
  intervalMs = 1000,
): { stop(): Promise<MetricSeries> } {
  const series = emptySeries(targets);
  const scrapeAll = async () => {
    const t = (Date.now() - series.startedAt) / 1000;
    await Promise.all(
      targets.map(async (target) => {
        try {
          const values = await scrapeCounters(target);
          series.scrapes[target.name]?.push({ t, values });
        } catch {
          series.failures[target.name] = (series.failures[target.name] ?? 0) + 1;
        }
      }),
    );
  };
  let running: Promise<void> = scrapeAll();
  let busy = true;
  void running.finally(() => (busy = false));
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = scrapeAll().finally(() => (busy = false));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await scrapeAll();
      for (const scrapes of Object.values(series.scrapes)) scrapes.sort((a, b) => a.t - b.t);
      return series;
    },
  };
}

function emptySeries(targets: ScrapeTarget[]): MetricSeries {
  return {
    startedAt: Date.now(),
    scrapes: Object.fromEntries(targets.map((t) => [t.name, []])),
    failures: Object.fromEntries(targets.map((t) => [t.name, 0])),
  };
}

/**
 * The increase of a counter between consecutive scrapes of one target, per second of
 * time between them (a restart, where the counter falls, counts from zero).
 */
export function ratePerSecond(
  series: MetricSeries,
  target: string,
  metric: string | RegExp,
): { t: number; perSecond: number }[] {
  const scrapes = series.scrapes[target] ?? [];
  const rates: { t: number; perSecond: number }[] = [];
  for (let i = 1; i < scrapes.length; i++) {
    const before = scrapes[i - 1];
    const after = scrapes[i];
    if (!before || !after || after.t <= before.t) continue;
    const increase = counterIncrease(sumOf(before.values, metric), sumOf(after.values, metric));
    rates.push({ t: after.t, perSecond: increase / (after.t - before.t) });
  }
  return rates;
}

/**
 * A counter's increase over [fromSeconds, toSeconds] (seconds since the series started),
 * between the last scrape at or before the start and the first at or after the end.
 */
export function increaseOver(
  series: MetricSeries,
  target: string,
  metric: string | RegExp,
  fromSeconds = 0,
  toSeconds = Infinity,
): number {
  const scrapes = series.scrapes[target] ?? [];
  const first = [...scrapes].reverse().find((s) => s.t <= fromSeconds) ?? scrapes[0];
  const last = scrapes.find((s) => s.t >= toSeconds) ?? scrapes[scrapes.length - 1];
  if (!first || !last) return 0;
  let increase = 0;
  // Summed scrape to scrape, so a restart inside the window is not a negative increase.
  const inside = scrapes.filter((s) => s.t >= first.t && s.t <= last.t);
  for (let i = 1; i < inside.length; i++) {
    const before = inside[i - 1];
    const after = inside[i];
    if (before && after)
      increase += counterIncrease(sumOf(before.values, metric), sumOf(after.values, metric));
  }
  return increase;
}

function counterIncrease(before: number, after: number): number {
  return after >= before ? after - before : after;
}

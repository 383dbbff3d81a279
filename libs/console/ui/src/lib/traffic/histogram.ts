import type { TrafficHistogram } from '@ml-run/registry-contract';

export const EMPTY_HISTOGRAM: TrafficHistogram = { buckets: [], sum: 0, count: 0 };

/**
 * The q-quantile (0 ≤ q ≤ 1) of the observations in a cumulative histogram, interpolated
 * linearly inside the bucket that holds it, as Prometheus's histogram_quantile does: the
 * first bucket starts at 0, and a quantile that falls in the +Inf bucket is the highest
 * finite bound (nothing better is known). undefined when the histogram holds nothing.
 */
export function histogramQuantile(q: number, histogram: TrafficHistogram): number | undefined {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is not in [0, 1]`);
  const { count } = histogram;
  if (!(count > 0)) return undefined;
  const buckets = monotonic(histogram.buckets, count);
  const rank = q * count;
  // The first bucket that reaches the rank and holds something (a rank of 0 would
  // otherwise land in a leading empty bucket and divide by its zero width in counts).
  const index = buckets.findIndex((bucket) => bucket.count >= rank && bucket.count > 0);
  if (index < 0) return buckets.at(-1)?.le;
  const bucket = buckets[index];
  const below = index === 0 ? { le: 0, count: 0 } : buckets[index - 1];
  const lower = Math.min(below.le, bucket.le);
  const inBucket = bucket.count - below.count;
  if (inBucket <= 0) return bucket.le;
  return lower + (bucket.le - lower) * ((rank - below.count) / inBucket);
}

// Counts are cumulative, so each bound's count is at least the one before it and at most
// `count`; sums of histograms scraped at slightly different moments can break that.
function monotonic(buckets: TrafficHistogram['buckets'], count: number) {
  const finite = buckets.filter((bucket) => Number.isFinite(bucket.le));
  let running = 0;
  return finite.map(({ le, count: cumulative }) => {
    running = Math.min(count, Math.max(running, cumulative));
    return { le, count: running };
  });
}

/**
 * Observations added from `earlier` to `later` (same replica, later scrape). undefined when
 * the later one cannot follow the earlier (a count fell, or the bucket bounds changed):
 * the replica restarted, and its counters began again from zero.
 */
export function histogramIncrease(
  earlier: TrafficHistogram,
  later: TrafficHistogram,
): TrafficHistogram | undefined {
  if (later.count < earlier.count || later.sum < earlier.sum) return undefined;
  if (earlier.count === 0) return later;
  if (!sameBounds(earlier, later)) return undefined;
  const buckets = later.buckets.map((bucket, i) => ({
    le: bucket.le,
    count: bucket.count - earlier.buckets[i].count,
  }));
  if (buckets.some((bucket) => bucket.count < 0)) return undefined;
  return { buckets, sum: later.sum - earlier.sum, count: later.count - earlier.count };
}

function sameBounds(a: TrafficHistogram, b: TrafficHistogram): boolean {
  return (
    a.buckets.length === b.buckets.length && a.buckets.every((x, i) => x.le === b.buckets[i].le)
  );
}

/**
 * Both histograms' observations in one. Replicas of one model share their bucket bounds;
 * where they do not, a histogram's count at a bound it lacks is its count at the nearest
 * bound below (an underestimate within one bucket).
 */
export function addHistograms(a: TrafficHistogram, b: TrafficHistogram): TrafficHistogram {
  if (a.count === 0 && a.buckets.length === 0) return b;
  if (b.count === 0 && b.buckets.length === 0) return a;
  const bounds = [...new Set([...a.buckets, ...b.buckets].map((bucket) => bucket.le))].sort(
    (x, y) => x - y,
  );
  return {
    buckets: bounds.map((le) => ({ le, count: countAt(a, le) + countAt(b, le) })),
    sum: a.sum + b.sum,
    count: a.count + b.count,
  };
}

function countAt(histogram: TrafficHistogram, le: number): number {
  let count = 0;
  for (const bucket of histogram.buckets) {
    if (bucket.le > le) break;
    count = bucket.count;
  }
  return count;
}

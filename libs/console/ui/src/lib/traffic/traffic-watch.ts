import type { ModelTraffic, ReplicaState } from '@ml-run/registry-contract';

import {
  addCounters,
  countersIncrease,
  countersOf,
  predictionCount,
  sumCounters,
  ZERO_COUNTERS,
  type TrafficCounters,
} from './traffic-counters';
import { trafficStats, type TrafficStats } from './traffic-stats';

/** The charts' reach: the last 5 minutes. */
export const HISTORY_SECONDS = 300;
/** Rates and quantiles cover the last 10 s: a few polls, so one slow scrape does not show. */
export const WINDOW_SECONDS = 10;

export type TrafficWatchOptions = {
  /** How far back the charts reach (seconds). */
  historySeconds?: number;
  /** The window each rate and quantile is computed over (seconds). */
  windowSeconds?: number;
};

export type VersionTraffic = {
  version: string;
  /** Over the last window. */
  stats: TrafficStats;
  /** Predictions counted since the watch began. */
  requestsSinceStart: number;
  /** This version's share of those predictions (0–1); null before any was counted. */
  shareSinceStart: number | null;
};

export type ReplicaTrafficRow = {
  version: string;
  replica: string;
  state: ReplicaState;
  scraped: boolean;
  stats: TrafficStats;
};

export type TrafficPoint = {
  /** End of the window, ms since the epoch (the builder's clock). */
  at: number;
  total: TrafficStats;
  /** Predictions per second by version. */
  rateByVersion: Record<string, number | null>;
};

export type TrafficView = {
  /** Seconds from the first sample to the last. */
  watchedSeconds: number;
  total: TrafficStats;
  versions: VersionTraffic[];
  /** The replicas of the latest sample. */
  replicas: ReplicaTrafficRow[];
  history: TrafficPoint[];
};

// A replica as the watch knows it across samples.
type Tracked = {
  version: string;
  replica: string;
  /** Its counters at its last successful scrape. */
  last?: TrafficCounters;
  /** First seen after the watch began: it started since, so its counters count from zero. */
  new: boolean;
  sinceStart: TrafficCounters;
};

// What each replica served between two consecutive samples.
type Interval = { from: number; to: number; increases: Map<string, TrafficCounters> };

const keyOf = (version: string, replica: string) => `${version}\u0000${replica}`;
const byVersion = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const byVersionThenReplica = (
  a: { version: string; replica: string },
  b: { version: string; replica: string },
) => byVersion(a.version, b.version) || byVersion(a.replica, b.replica);

/**
 * Turns the builder's cumulative samples into rates, quantiles and shares. The first sample
 * is the baseline: what replicas had served before it is not counted. A replica that
 * appears later started later, so all it served counts; one that restarted (its counters
 * fell) counts from zero again; one the builder could not scrape is skipped until its
 * next scrape, whose increase covers the gap.
 */
export class TrafficWatch {
  private readonly historyMs: number;
  private readonly windowMs: number;
  private readonly tracked = new Map<string, Tracked>();
  private intervals: Interval[] = [];
  private firstAt: number | undefined;
  private lastAt: number | undefined;
  private latest: ModelTraffic['replicas'] = [];

  constructor(options: TrafficWatchOptions = {}) {
    this.historyMs = (options.historySeconds ?? HISTORY_SECONDS) * 1000;
    this.windowMs = (options.windowSeconds ?? WINDOW_SECONDS) * 1000;
  }

  /** Takes a sample; false (and ignored) when it is not later than the last one. */
  add(sample: ModelTraffic): boolean {
    const at = Date.parse(sample.sampledAt);
    if (!Number.isFinite(at) || (this.lastAt !== undefined && at <= this.lastAt)) return false;
    const increases = new Map<string, TrafficCounters>();
    for (const replica of sample.replicas) {
      const key = keyOf(replica.version, replica.replica);
      const tracked = this.track(key, replica.version, replica.replica);
      if (!replica.scraped) continue;
      const counters = countersOf(replica);
      const increase = tracked.last
        ? countersIncrease(tracked.last, counters)
        : tracked.new
          ? counters
          : undefined;
      tracked.last = counters;
      if (!increase) continue;
      increases.set(key, increase);
      tracked.sinceStart = addCounters(tracked.sinceStart, increase);
    }
    if (this.lastAt !== undefined) {
      this.intervals.push({ from: this.lastAt, to: at, increases });
      this.intervals = this.intervals.filter((interval) => interval.to > at - this.historyMs);
    }
    this.firstAt ??= at;
    this.lastAt = at;
    this.latest = sample.replicas;
    return true;
  }

  private track(key: string, version: string, replica: string): Tracked {
    let tracked = this.tracked.get(key);
    if (!tracked) {
      const isNew = this.firstAt !== undefined;
      tracked = { version, replica, new: isNew, sinceStart: ZERO_COUNTERS };
      this.tracked.set(key, tracked);
    }
    return tracked;
  }

  view(): TrafficView {
    const last = this.intervals.length - 1;
    const window = this.windowEndingAt(last);
    return {
      watchedSeconds:
        this.firstAt === undefined ? 0 : ((this.lastAt ?? this.firstAt) - this.firstAt) / 1000,
      total: window.stats(() => true),
      versions: this.versionRows(window),
      replicas: [...this.latest].sort(byVersionThenReplica).map((replica) => {
        const key = keyOf(replica.version, replica.replica);
        return {
          version: replica.version,
          replica: replica.replica,
          state: replica.state,
          scraped: replica.scraped,
          stats: window.stats((k) => k === key),
        };
      }),
      history: this.intervals.map((interval, i) => this.point(interval, i)),
    };
  }

  private versionRows(window: Window): VersionTraffic[] {
    const sinceStart = new Map<string, number>();
    for (const tracked of this.tracked.values()) {
      const count = predictionCount(tracked.sinceStart);
      sinceStart.set(tracked.version, (sinceStart.get(tracked.version) ?? 0) + count);
    }
    const total = [...sinceStart.values()].reduce((sum, n) => sum + n, 0);
    // Versions deployed now, and any that served since the watch began.
    const versions = new Set(this.latest.map((replica) => replica.version));
    for (const [version, count] of sinceStart) if (count > 0) versions.add(version);
    return [...versions].sort(byVersion).map((version) => {
      const requests = sinceStart.get(version) ?? 0;
      return {
        version,
        stats: window.stats((key) => this.tracked.get(key)?.version === version),
        requestsSinceStart: requests,
        shareSinceStart: total > 0 ? requests / total : null,
      };
    });
  }

  private point(interval: Interval, index: number): TrafficPoint {
    const window = this.windowEndingAt(index);
    const rateByVersion: Record<string, number | null> = {};
    for (const version of this.versionsTracked()) {
      rateByVersion[version] = window.stats((k) => this.tracked.get(k)?.version === version).rate;
    }
    return { at: interval.to, total: window.stats(() => true), rateByVersion };
  }

  private versionsTracked(): Set<string> {
    return new Set([...this.tracked.values()].map((tracked) => tracked.version));
  }

  // The intervals ending within windowMs of interval `end`'s end.
  private windowEndingAt(end: number): Window {
    if (end < 0) return new Window([], 0);
    const until = this.intervals[end].to;
    const inside = this.intervals
      .slice(0, end + 1)
      .filter((interval) => interval.to > until - this.windowMs);
    return new Window(inside, (until - inside[0].from) / 1000);
  }
}

class Window {
  constructor(
    private readonly intervals: readonly Interval[],
    private readonly seconds: number,
  ) {}

  stats(include: (key: string) => boolean): TrafficStats {
    const parts: TrafficCounters[] = [];
    for (const interval of this.intervals) {
      for (const [key, counters] of interval.increases) if (include(key)) parts.push(counters);
    }
    return trafficStats(sumCounters(parts), this.seconds);
  }
}

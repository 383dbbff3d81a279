import { histogramQuantile } from './histogram';
import { predictionCount, type TrafficCounters } from './traffic-counters';

/**
 * Rates and ratios over a window. null where the window says nothing (no time elapsed, no
 * prediction, no token check): never NaN, so tables and charts can show a gap.
 */
export type TrafficStats = {
  /** Predictions in the window. */
  requests: number;
  /** Predictions per second. */
  rate: number | null;
  /** Median and 99th percentile predict latency (seconds). */
  p50: number | null;
  p99: number | null;
  /** Share of predictions answered with a 5xx status. */
  errorRatio: number | null;
  /** Share answered with a 4xx status (refused tokens, bad input). */
  clientErrorRatio: number | null;
  /** Token checks answered from the wrapper's L1 cache, of all token checks. */
  l1HitRatio: number | null;
  /** Calls to the token-validator per second. */
  validatorRate: number | null;
};

export function trafficStats(counters: TrafficCounters, seconds: number): TrafficStats {
  const requests = predictionCount(counters);
  const perSecond = (count: number) => (seconds > 0 ? count / seconds : null);
  const ofRequests = (count: number) => (requests > 0 ? count / requests : null);
  const withStatus = (from: number, to: number) =>
    counters.predictions
      .filter((p) => p.status >= from && p.status <= to)
      .reduce((sum, p) => sum + p.count, 0);
  const checks = counters.l1.hits + counters.l1.misses;
  const validatorCalls = counters.validatorCalls.reduce((sum, c) => sum + c.count, 0);
  return {
    requests,
    rate: perSecond(requests),
    p50: histogramQuantile(0.5, counters.latency) ?? null,
    p99: histogramQuantile(0.99, counters.latency) ?? null,
    errorRatio: ofRequests(withStatus(500, 599)),
    clientErrorRatio: ofRequests(withStatus(400, 499)),
    l1HitRatio: checks > 0 ? counters.l1.hits / checks : null,
    validatorRate: perSecond(validatorCalls),
  };
}

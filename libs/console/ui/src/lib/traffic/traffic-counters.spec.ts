import { countersIncrease, countersOf, predictionCount, sumCounters } from './traffic-counters';
import { histogramOf, replica, WRAPPER_BOUNDS } from './traffic-fixtures';

const counters = (served: Parameters<typeof replica>[2]) =>
  countersOf(replica('1', 'iris-0', served));

describe(countersIncrease.name, () => {
  it('is what the replica served between the two scrapes', () => {
    const earlier = counters({
      statuses: { 200: 10, 500: 1 },
      l1: { hits: 8, misses: 3 },
      validator: { active: 3 },
    });
    const later = counters({
      statuses: { 200: 15, 500: 1, 401: 2 },
      l1: { hits: 14, misses: 4 },
      validator: { active: 3, inactive: 1 },
    });
    const sut = countersIncrease(earlier, later);
    expect(sut.predictions).toEqual(
      expect.arrayContaining([
        { status: 200, count: 5 },
        { status: 401, count: 2 },
      ]),
    );
    expect(predictionCount(sut)).toBe(7);
    expect(sut.latency.count).toBe(7);
    expect(sut.l1).toEqual({ hits: 6, misses: 1 });
    expect(sut.validatorCalls).toEqual([{ outcome: 'inactive', count: 1 }]);
  });

  it('counts everything after a restart (a counter fell), even series that grew back', () => {
    const earlier = counters({ statuses: { 200: 5, 500: 3 }, l1: { hits: 5, misses: 3 } });
    // Restarted, then served 7 predictions: 200 grew from 5 to 7, 500 vanished.
    const later = counters({ statuses: { 200: 7 }, l1: { hits: 6, misses: 1 } });
    const sut = countersIncrease(earlier, later);
    expect(predictionCount(sut)).toBe(7);
    expect(sut.l1).toEqual({ hits: 6, misses: 1 });
  });

  it('detects a restart from the histogram alone', () => {
    const earlier = counters({ statuses: { 200: 2 }, latencies: [0.001, 0.001] });
    const later = counters({ statuses: { 200: 3 }, latencies: [0.5, 0.5, 0.5] });
    expect(countersIncrease(earlier, later).latency).toEqual(
      histogramOf([0.5, 0.5, 0.5], WRAPPER_BOUNDS),
    );
  });

  it('is empty when nothing happened', () => {
    const same = counters({ statuses: { 200: 4 }, l1: { hits: 4, misses: 0 } });
    const sut = countersIncrease(same, same);
    expect(predictionCount(sut)).toBe(0);
    expect(sut.latency.count).toBe(0);
    expect(sut.l1).toEqual({ hits: 0, misses: 0 });
  });
});

describe(sumCounters.name, () => {
  it('adds predictions by status, latencies, token checks and validator calls', () => {
    const sut = sumCounters([
      counters({ statuses: { 200: 2 }, l1: { hits: 1, misses: 1 }, validator: { active: 1 } }),
      counters({
        statuses: { 200: 1, 503: 1 },
        l1: { hits: 2, misses: 0 },
        validator: { active: 2 },
      }),
    ]);
    expect(sut.predictions).toEqual([
      { status: 200, count: 3 },
      { status: 503, count: 1 },
    ]);
    expect(sut.latency.count).toBe(4);
    expect(sut.l1).toEqual({ hits: 3, misses: 1 });
    expect(sut.validatorCalls).toEqual([{ outcome: 'active', count: 3 }]);
  });

  it('is zero for no replicas', () => {
    expect(predictionCount(sumCounters([]))).toBe(0);
  });
});

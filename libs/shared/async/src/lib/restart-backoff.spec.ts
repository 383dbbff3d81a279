import { RestartBackoff } from './restart-backoff';

describe(RestartBackoff.name, () => {
  it('doubles the delay up to the maximum', () => {
    const sut = new RestartBackoff({ initialMs: 100, maxMs: 1_000, resetAfterMs: 60_000 });
    const delays = Array.from({ length: 6 }, () => sut.next());
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('starts over after a worker stayed healthy long enough', () => {
    const sut = new RestartBackoff({ initialMs: 100, maxMs: 10_000, resetAfterMs: 60_000 });
    sut.next();
    sut.next();
    expect(sut.next(59_999)).toBe(400);
    expect(sut.next(60_000)).toBe(100);
    expect(sut.next()).toBe(200);
  });
});

import { RestartBackoff } from './restart-backoff';

describe(RestartBackoff.name, () => {
  it('doubles the delay per restart up to the cap', () => {
    const sut = new RestartBackoff({ initialMs: 200, maxMs: 1_000, resetAfterMs: 60_000 });

    expect([1, 2, 3, 4, 5].map(() => sut.next())).toEqual([200, 400, 800, 1_000, 1_000]);
  });

  it('starts over after a replica stayed ready long enough', () => {
    const sut = new RestartBackoff({ initialMs: 200, maxMs: 10_000, resetAfterMs: 60_000 });
    sut.next();
    sut.next();

    expect(sut.next(59_999)).toBe(800);
    expect(sut.next(60_000)).toBe(200);
  });
});

import { replica, sampleAt, unscraped } from './traffic-fixtures';
import { TrafficWatch, type TrafficView } from './traffic-watch';

const ok = (n: number) => ({ statuses: { 200: n } });

function versionRow(view: TrafficView, version: string) {
  const row = view.versions.find((v) => v.version === version);
  if (!row) throw new Error(`no row for version ${version}`);
  return row;
}

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe(TrafficWatch.name, () => {
  it('shares predictions since the first sample, not since the replicas started', () => {
    const sut = new TrafficWatch();
    sut.add(sampleAt(0, [replica('1', 'iris-0', ok(1000)), replica('2', 'iris-v2-0', ok(0))]));
    sut.add(sampleAt(2, [replica('1', 'iris-0', ok(1090)), replica('2', 'iris-v2-0', ok(10))]));
    sut.add(sampleAt(4, [replica('1', 'iris-0', ok(1180)), replica('2', 'iris-v2-0', ok(20))]));
    const view = sut.view();
    expect(versionRow(view, '1')).toMatchObject({ requestsSinceStart: 180 });
    expect(versionRow(view, '1').shareSinceStart).toBeCloseTo(0.9, 12);
    expect(versionRow(view, '2')).toMatchObject({ requestsSinceStart: 20 });
    expect(versionRow(view, '2').shareSinceStart).toBeCloseTo(0.1, 12);
    expect(view.watchedSeconds).toBe(4);
  });

  it('computes rates over the window from the deltas', () => {
    const sut = new TrafficWatch({ windowSeconds: 4 });
    sut.add(sampleAt(0, [replica('1', 'iris-0', ok(0))]));
    sut.add(sampleAt(2, [replica('1', 'iris-0', ok(100))]));
    sut.add(sampleAt(4, [replica('1', 'iris-0', ok(120))]));
    sut.add(sampleAt(6, [replica('1', 'iris-0', ok(160))]));
    const view = sut.view();
    // The window holds the intervals ending after 6 − 4 = 2 s: 2–4 and 4–6, 60 predictions.
    expect(view.total.rate).toBe(15);
    expect(view.replicas[0].stats.rate).toBe(15);
    expect(view.history.map((p) => p.total.rate)).toEqual([50, 30, 15]);
    expect(view.history.map((p) => p.rateByVersion['1'])).toEqual([50, 30, 15]);
  });

  it('counts a restarted replica from zero again', () => {
    const sut = new TrafficWatch();
    sut.add(sampleAt(0, [replica('1', 'iris-0', ok(500))]));
    sut.add(sampleAt(2, [replica('1', 'iris-0', ok(520))]));
    sut.add(sampleAt(4, [replica('1', 'iris-0', ok(30))]));
    expect(versionRow(sut.view(), '1').requestsSinceStart).toBe(50);
  });

  it('counts all that a replica appearing after the first sample served', () => {
    const sut = new TrafficWatch();
    sut.add(sampleAt(0, [replica('1', 'iris-0', ok(500))]));
    sut.add(sampleAt(2, [replica('1', 'iris-0', ok(500)), replica('1', 'iris-1', ok(40))]));
    const view = sut.view();
    expect(versionRow(view, '1').requestsSinceStart).toBe(40);
    expect(view.replicas.map((r) => r.replica)).toEqual(['iris-0', 'iris-1']);
    expect(view.replicas[1].stats.rate).toBe(20);
  });

  it('takes the first scrape of a replica that was running but unscraped as its baseline', () => {
    const sut = new TrafficWatch();
    sut.add(sampleAt(0, [unscraped('1', 'iris-0')]));
    sut.add(sampleAt(2, [replica('1', 'iris-0', ok(900))]));
    sut.add(sampleAt(4, [replica('1', 'iris-0', ok(910))]));
    expect(versionRow(sut.view(), '1').requestsSinceStart).toBe(10);
  });

  it('skips a replica while it cannot be scraped and counts the gap at its next scrape', () => {
    const sut = new TrafficWatch();
    sut.add(sampleAt(0, [replica('1', 'iris-0', ok(10))]));
    sut.add(sampleAt(2, [unscraped('1', 'iris-0')]));
    const during = sut.view();
    expect(during.replicas[0]).toMatchObject({ scraped: false });
    expect(during.replicas[0].stats.requests).toBe(0);
    sut.add(sampleAt(4, [replica('1', 'iris-0', ok(30))]));
    expect(versionRow(sut.view(), '1').requestsSinceStart).toBe(20);
  });

  it('keeps the share of a version whose replicas are gone and drops them from the rows', () => {
    const sut = new TrafficWatch();
    sut.add(sampleAt(0, [replica('1', 'iris-0', ok(0)), replica('2', 'iris-v2-0', ok(0))]));
    sut.add(sampleAt(2, [replica('1', 'iris-0', ok(30)), replica('2', 'iris-v2-0', ok(10))]));
    sut.add(sampleAt(4, [replica('2', 'iris-v2-0', ok(20))]));
    const view = sut.view();
    expect(view.replicas.map((r) => r.replica)).toEqual(['iris-v2-0']);
    expect(view.versions.map((v) => v.version)).toEqual(['1', '2']);
    expect(versionRow(view, '1').shareSinceStart).toBeCloseTo(0.6, 12);
  });

  it('lists a deployed version that served nothing with a zero share', () => {
    const sut = new TrafficWatch();
    sut.add(sampleAt(0, [replica('1', 'iris-0', ok(0)), replica('2', 'iris-v2-0', ok(0))]));
    sut.add(sampleAt(2, [replica('1', 'iris-0', ok(8)), replica('2', 'iris-v2-0', ok(0))]));
    expect(versionRow(sut.view(), '2').shareSinceStart).toBe(0);
  });

  it('orders versions numerically', () => {
    const sut = new TrafficWatch();
    sut.add(
      sampleAt(
        0,
        ['10', '9', '1.10.0', '1.9.0'].map((v) => replica(v, `r-${v}`)),
      ),
    );
    expect(sut.view().versions.map((v) => v.version)).toEqual(['1.9.0', '1.10.0', '9', '10']);
  });

  it('lists replicas by version, then by id', () => {
    const sut = new TrafficWatch();
    sut.add(
      sampleAt(0, [
        replica('2', 'echo-0'),
        replica('1', 'echo-10'),
        replica('1', 'echo-2'),
        replica('1', 'echo-0'),
      ]),
    );
    expect(sut.view().replicas.map((r) => `${r.version}/${r.replica}`)).toEqual([
      '1/echo-0',
      '1/echo-2',
      '1/echo-10',
      '2/echo-0',
    ]);
  });

  it('ignores a sample that is not later than the last one', () => {
    const sut = new TrafficWatch();
    expect(sut.add(sampleAt(2, [replica('1', 'iris-0', ok(0))]))).toBe(true);
    expect(sut.add(sampleAt(2, [replica('1', 'iris-0', ok(50))]))).toBe(false);
    expect(sut.add(sampleAt(1, [replica('1', 'iris-0', ok(50))]))).toBe(false);
    expect(sut.add({ name: 'iris', sampledAt: 'not a date', replicas: [] })).toBe(false);
    expect(sut.view().history).toEqual([]);
  });

  it('keeps only the history it was asked for', () => {
    const sut = new TrafficWatch({ historySeconds: 10, windowSeconds: 2 });
    for (let t = 0; t <= 60; t += 2) sut.add(sampleAt(t, [replica('1', 'iris-0', ok(t))]));
    const history = sut.view().history;
    expect(history.length).toBe(5);
    expect(history.at(-1)?.total.rate).toBe(1);
  });

  it('shows nothing but gaps before the second sample, never NaN', () => {
    const sut = new TrafficWatch();
    const empty = sut.view();
    expect(empty.total.rate).toBeNull();
    expect(empty.versions).toEqual([]);
    sut.add(sampleAt(0, [replica('1', 'iris-0', ok(7)), unscraped('1', 'iris-1')]));
    const first = sut.view();
    expect(first.history).toEqual([]);
    expect(first.total.rate).toBeNull();
    expect(versionRow(first, '1').shareSinceStart).toBeNull();
    expect(numbersIn(first).every(Number.isFinite)).toBe(true);
  });

  it('produces only finite numbers through restarts, gaps and quiet intervals', () => {
    const sut = new TrafficWatch({ windowSeconds: 4 });
    const samples = [
      [replica('1', 'iris-0', ok(5))],
      [replica('1', 'iris-0', ok(5))],
      [unscraped('1', 'iris-0'), replica('2', 'iris-v2-0', { statuses: { 500: 3 } })],
      [replica('1', 'iris-0', ok(1)), replica('2', 'iris-v2-0', { statuses: { 500: 3 } })],
      [],
    ];
    samples.forEach((replicas, i) => sut.add(sampleAt(i * 2, replicas)));
    const view = sut.view();
    expect(numbersIn(view).every(Number.isFinite)).toBe(true);
    expect(view.history.map((p) => p.total.errorRatio)).toEqual([null, 1, 0.75, 0]);
  });
});

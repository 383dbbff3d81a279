import { InflightCounter, versionKey } from './inflight-counter';

describe(InflightCounter.name, () => {
  const V1 = { name: 'iris', version: '1.0.0' };
  const V2 = { name: 'iris', version: '2.0.0' };

  it('counts per version, listing routed versions at 0', () => {
    const sut = new InflightCounter();
    sut.begin(V1);
    sut.begin(V1);
    sut.end(V1);
    expect(sut.counts([V1, V2])).toEqual([
      { ...V1, count: 1 },
      { ...V2, count: 0 },
    ]);
  });

  it('keeps counting a version no longer routed until its last request ends', () => {
    const sut = new InflightCounter();
    sut.begin(V1);
    expect(sut.counts([])).toEqual([{ ...V1, count: 1 }]);
    sut.end(V1);
    sut.end(V1);
    expect(sut.counts([])).toEqual([]);
  });

  it('names a version name@version', () => {
    expect(versionKey(V1)).toBe('iris@1.0.0');
  });
});

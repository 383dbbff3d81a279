import { OffsetTracker } from './offset-tracker';

describe(OffsetTracker.name, () => {
  it('advances only over a contiguous prefix of completed offsets', () => {
    const sut = new OffsetTracker(['10', '11', '12', '13']);
    expect(sut.complete('12')).toBeUndefined();
    expect(sut.complete('10')).toBe('10');
    expect(sut.complete('11')).toBe('12');
    expect(sut.complete('13')).toBe('13');
  });
});

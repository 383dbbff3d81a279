import { canaryBase, canarySplit, describeSplit, isSoleStable } from './canary';

const stable = (...versions: [string, number][]) => ({
  versions: versions.map(([version, weight]) => ({ version, weight })),
});

describe(canaryBase.name, () => {
  it('splits against the heaviest other version of stable', () => {
    expect(canaryBase(stable(['a', 70], ['b', 20], ['c', 10]), 'c')).toEqual({
      base: 'a',
      weight: 10,
    });
  });

  it('has a base and weight 0 for a version stable does not name', () => {
    expect(canaryBase(stable(['a', 100]), 'b')).toEqual({ base: 'a', weight: 0 });
  });

  it('has no base when stable is this version alone, or is missing', () => {
    expect(canaryBase(stable(['a', 100]), 'a')).toEqual({ base: undefined, weight: 100 });
    expect(canaryBase(undefined, 'a')).toEqual({ base: undefined, weight: 0 });
  });
});

describe(canarySplit.name, () => {
  it('gives integer weights summing to 100', () => {
    expect(canarySplit('a', 'b', 10)).toEqual(stable(['a', 90], ['b', 10]));
    expect(canarySplit('a', 'b', 33.4)).toEqual(stable(['a', 67], ['b', 33]));
  });

  it('names one version alone at 0 and 100 (and clamps)', () => {
    expect(canarySplit('a', 'b', 0)).toEqual(stable(['a', 100]));
    expect(canarySplit('a', 'b', -5)).toEqual(stable(['a', 100]));
    expect(canarySplit('a', 'b', 100)).toEqual(stable(['b', 100]));
  });
});

describe(describeSplit.name, () => {
  it('lists versions and weights', () => {
    expect(describeSplit(stable(['a', 90], ['b', 10]))).toBe('a 90%, b 10%');
  });
});

describe(isSoleStable.name, () => {
  it('is true only for one version at 100%', () => {
    expect(isSoleStable(stable(['a', 100]), 'a')).toBe(true);
    expect(isSoleStable(stable(['a', 90], ['b', 10]), 'a')).toBe(false);
    expect(isSoleStable(undefined, 'a')).toBe(false);
  });
});

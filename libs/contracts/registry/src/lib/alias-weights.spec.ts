import { aliasTargetProblem, pickWeighted } from './alias-weights';

const target = (...weights: [string, number][]) => ({
  versions: weights.map(([version, weight]) => ({ version, weight })),
});

describe(aliasTargetProblem.name, () => {
  it('accepts integer weights summing to 100', () => {
    expect(aliasTargetProblem(target(['a', 90], ['b', 10]))).toBeUndefined();
    expect(aliasTargetProblem(target(['a', 100]))).toBeUndefined();
  });

  it.each([
    [target(), 'name at least one version'],
    [target(['a', 90], ['b', 20]), 'weights must sum to 100, got 110'],
    [target(['a', 50], ['a', 50]), 'version a is listed twice'],
    [target(['a', 99.5], ['b', 0.5]), 'weight of a must be an integer from 0 to 100, got 99.5'],
  ])('refuses %j: %s', (value, problem) => {
    expect(aliasTargetProblem(value)).toBe(problem);
  });
});

describe(pickWeighted.name, () => {
  it('splits traffic by weight', () => {
    const canary = target(['stable', 90], ['canary', 10]);
    expect(pickWeighted(canary, 0)).toBe('stable');
    expect(pickWeighted(canary, 0.899)).toBe('stable');
    expect(pickWeighted(canary, 0.9)).toBe('canary');
    expect(pickWeighted(canary, 0.999)).toBe('canary');
  });

  it('never picks a zero-weight version', () => {
    expect(pickWeighted(target(['a', 0], ['b', 100]), 0)).toBe('b');
  });
});

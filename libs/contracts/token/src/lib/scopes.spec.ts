import { isValidScope, parseScopes, predictScope, scopeAllows } from './scopes';

describe(scopeAllows.name, () => {
  it.each([
    [['predict:iris'], 'predict:iris', true],
    [['predict:iris'], 'predict:fraud', false],
    [['predict:*'], 'predict:fraud', true],
    [['predict:*'], 'models:write', false],
    [['admin'], 'models:write', true],
    [['admin'], 'predict:iris', true],
    [['models:write'], 'predict:iris', false],
    [[], 'predict:iris', false],
  ])('granted %p, required %s → %s', (granted, required, allowed) => {
    expect(scopeAllows(granted, required)).toBe(allowed);
  });
});

describe(isValidScope.name, () => {
  it.each(['admin', 'models:write', 'predict:*', 'predict:iris', 'predict:fraud-score-2'])(
    'accepts %s',
    (s) => {
      expect(isValidScope(s)).toBe(true);
    },
  );
  it.each(['', 'predict:', 'predict:Iris', 'predict:iris-', 'models:read', 'root', 'predict:**'])(
    'refuses %p',
    (s) => {
      expect(isValidScope(s)).toBe(false);
    },
  );
});

describe(parseScopes.name, () => {
  it('splits on spaces, dropping blanks and duplicates', () => {
    expect(parseScopes(' predict:iris  admin predict:iris')).toEqual(['predict:iris', 'admin']);
    expect(parseScopes(undefined)).toEqual([]);
  });

  it('builds the scope a model needs', () => {
    expect(predictScope('iris')).toBe('predict:iris');
  });
});

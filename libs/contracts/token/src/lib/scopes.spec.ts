import {
  allowsOnSomeModel,
  isValidScope,
  modelScope,
  normalizeScope,
  parseScopes,
  predictScope,
  scopeAllows,
} from './scopes';

describe(scopeAllows.name, () => {
  it.each([
    [['predict:iris'], 'predict:iris', true],
    [['predict:iris'], 'predict:fraud', false],
    [['predict:*'], 'predict:fraud', true],
    [['predict:*'], 'models:read:fraud', false],
    [['admin'], 'models:write:iris', true],
    [['admin'], 'models:write:*', true],
    [['admin'], 'predict:iris', true],
    [['models:write:*'], 'predict:iris', false],
    [['models:write:*'], 'models:write:iris', true],
    [['models:write:*'], 'models:read:iris', true],
    [['models:write:*'], 'models:read:*', true],
    [['models:write:iris'], 'models:write:iris', true],
    [['models:write:iris'], 'models:read:iris', true],
    [['models:write:iris'], 'models:write:*', false],
    [['models:write:iris'], 'models:write:fraud', false],
    [['models:read:*'], 'models:read:iris', true],
    [['models:read:*'], 'models:write:iris', false],
    [['models:read:iris'], 'models:write:iris', false],
    [['models:read:iris'], 'models:read:*', false],
    [[], 'predict:iris', false],
  ])('granted %p, required %s → %s', (granted, required, allowed) => {
    expect(scopeAllows(granted, required)).toBe(allowed);
  });

  it('reads the deprecated global models:write as models:write:*', () => {
    expect(scopeAllows(['models:write'], 'models:write:iris')).toBe(true);
    expect(scopeAllows(['models:write'], 'models:read:iris')).toBe(true);
    expect(scopeAllows(['models:write'], 'predict:iris')).toBe(false);
  });

  describe('hostile model names', () => {
    it.each([
      // A prefix is not a name: iris grants nothing on iris2, irisx or iri.
      [['predict:iris'], 'predict:iris2'],
      [['predict:iris'], 'predict:iri'],
      [['models:read:iris'], 'models:read:iris-2'],
      [['models:write:iris'], 'models:write:iris2'],
      // A name holding ':' would smuggle an action or a second name: never a scope.
      [['predict:iris'], 'predict:iris:admin'],
      [['models:write:iris'], 'models:write:iris:x'],
      [['predict:*'], 'predict:a:b'],
      // '*' is only ever the whole name; a name with '*' in it is not a scope.
      [['predict:iris*'], 'predict:iris2'],
      [['predict:i*'], 'predict:iris'],
      [['predict:**'], 'predict:iris'],
      [['predict:*'], 'predict:ir*s'],
      // Case differs: names are lower case, scopes too.
      [['predict:IRIS'], 'predict:IRIS'],
      [['PREDICT:iris'], 'predict:iris'],
      [['Admin'], 'predict:iris'],
      [['predict:iris'], 'predict:Iris'],
      // Actions do not cover each other except write over read of the same model.
      [['models:*'], 'models:read:iris'],
      [['models:read:iris'], 'models:readx:iris'],
      [['predict:*'], 'predict:'],
      [['predict:'], 'predict:'],
      [['admin '], 'predict:iris'],
      [['admin'], 'root'],
      [['admin'], ''],
    ])('granted %p does not cover %p', (granted, required) => {
      expect(scopeAllows(granted, required)).toBe(false);
    });
  });
});

describe(allowsOnSomeModel.name, () => {
  it.each([
    [['models:write:iris'], 'models:write', true],
    [['models:write:*'], 'models:write', true],
    [['models:write'], 'models:write', true],
    [['admin'], 'models:write', true],
    [['models:write:iris'], 'models:read', true],
    [['models:read:*'], 'models:write', false],
    [['predict:*'], 'models:write', false],
    [['predict:*'], 'models:read', false],
    [['predict:Iris', 'models:write:IRIS'], 'models:write', false],
    [[], 'models:write', false],
  ] as const)('granted %p, action %s → %s', (granted, action, allowed) => {
    expect(allowsOnSomeModel(granted, action)).toBe(allowed);
  });
});

describe(isValidScope.name, () => {
  it.each([
    'admin',
    'models:write',
    'models:write:*',
    'models:write:iris',
    'models:read:*',
    'models:read:fraud-score-2',
    'predict:*',
    'predict:iris',
    'predict:fraud-score-2',
  ])('accepts %s', (s) => {
    expect(isValidScope(s)).toBe(true);
  });
  it.each([
    '',
    'predict:',
    'predict:Iris',
    'predict:iris-',
    'predict:2iris',
    'predict:iris:x',
    'models:read',
    'models:read:',
    'models:*',
    'models:write:**',
    'root',
    'predict:**',
    'predict:iris ',
    `predict:${'a'.repeat(64)}`,
  ])('refuses %p', (s) => {
    expect(isValidScope(s)).toBe(false);
  });
});

describe(normalizeScope.name, () => {
  it('rewrites only the deprecated global write scope', () => {
    expect(normalizeScope('models:write')).toBe('models:write:*');
    expect(normalizeScope('models:write:iris')).toBe('models:write:iris');
    expect(normalizeScope('admin')).toBe('admin');
  });
});

describe(parseScopes.name, () => {
  it('splits on spaces, dropping blanks and duplicates', () => {
    expect(parseScopes(' predict:iris  admin predict:iris')).toEqual(['predict:iris', 'admin']);
    expect(parseScopes(undefined)).toEqual([]);
  });

  it('builds the scope an action on a model needs', () => {
    expect(predictScope('iris')).toBe('predict:iris');
    expect(modelScope('models:read', 'iris')).toBe('models:read:iris');
  });
});

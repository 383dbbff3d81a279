import { canWith, isAdmin, sessionFromToken } from './session';

describe(sessionFromToken.name, () => {
  it('keeps the token, its scopes and when it expires', () => {
    const session = sessionFromToken(
      'ada',
      {
        access_token: 'mlr_x',
        token_type: 'Bearer',
        expires_in: 60,
        scope: 'predict:* models:write:iris',
      },
      1_000,
    );
    expect(session).toEqual({
      username: 'ada',
      token: 'mlr_x',
      scopes: ['predict:*', 'models:write:iris'],
      expiresAt: 61_000,
    });
  });
});

describe(canWith.name, () => {
  it.each([
    [['models:write:iris'], 'models:write:iris', true],
    [['models:write:iris'], 'models:read:iris', true],
    [['models:write:iris'], 'models:write:iris2', false],
    [['models:write:*'], 'models:write:wine', true],
    [['models:write'], 'models:write:wine', true],
    [['predict:*'], 'models:read:iris', false],
    [['admin'], 'models:write:iris', true],
    [['admin'], 'admin', true],
    [['models:write:*'], 'admin', false],
  ])('%j allows %s: %s', (scopes, scope, allowed) => {
    expect(canWith(scopes, scope)).toBe(allowed);
  });
});

describe(isAdmin.name, () => {
  it('is the admin scope, not a wildcard', () => {
    expect(isAdmin(['admin'])).toBe(true);
    expect(isAdmin(['models:write:*', 'predict:*'])).toBe(false);
  });
});

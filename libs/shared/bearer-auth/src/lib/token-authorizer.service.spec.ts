import { Registry } from 'prom-client';

import { until } from '@ml-run/async/testing';
import { AuthErrorCode, tokenHash, type IntrospectionResponse } from '@ml-run/token-contract';

import { AuthorizationError, authorizationReply } from './authorization.errors';
import { AuthorizationMetrics } from './authorization.metrics';
import { L1TokenCache } from './l1-token-cache';
import { TokenAuthorizer } from './token-authorizer.service';
import { ValidatorClient, ValidatorUnavailableError } from './validator-client';

class StubValidator {
  answers = new Map<string, IntrospectionResponse>();
  calls = 0;
  down = false;
  delayMs = 0;

  async introspect(token: string): Promise<IntrospectionResponse> {
    this.calls++;
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.down) throw new ValidatorUnavailableError('connection refused');
    return this.answers.get(token) ?? { active: false };
  }

  grant(token: string, scope: string, ttlSeconds = 3600, groups?: string[]): void {
    const now = Math.floor(Date.now() / 1000);
    this.answers.set(token, {
      active: true,
      sub: 'ada',
      scope,
      ...(groups === undefined ? {} : { groups }),
      aud: 'ml-run',
      iat: now,
      exp: now + ttlSeconds,
      token_type: 'Bearer',
    });
  }
}

function setup(l1 = { maxEntries: 100, ttlMs: 60_000, negativeTtlMs: 2_000 }) {
  const validator = new StubValidator();
  const cache = new L1TokenCache(l1);
  const metrics = new AuthorizationMetrics(new Registry(), cache);
  const sut = new TokenAuthorizer(cache, validator as unknown as ValidatorClient, metrics, null);
  return { sut, validator, cache };
}

const bearer = (token: string) => `Bearer ${token}`;

// authorize answers synchronously on an L1 hit; a promise makes both paths look alike.
const authorize = (sut: TokenAuthorizer, header: string | undefined, url: string) =>
  Promise.resolve().then(() => sut.authorize(header, url, 'predict:iris'));

describe(TokenAuthorizer.name, () => {
  it('admits a token with the model scope and names its subject, scopes and groups', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:iris models:read:iris', 3600, ['data-team']);
    await expect(authorize(sut, bearer('t1'), '/v1/predict')).resolves.toEqual({
      sub: 'ada',
      tokenId: tokenHash('t1').slice(0, 12),
      scopes: ['predict:iris', 'models:read:iris'],
      groups: ['data-team'],
    });
  });

  it('checks each token of one keep-alive connection as itself', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:iris');
    validator.grant('t2', 'models:read:iris');
    const connection = {};
    const check = (token: string) =>
      Promise.resolve().then(() =>
        sut.authorize(bearer(token), '/v1/predict', 'predict:iris', connection),
      );
    await expect(check('t1')).resolves.toMatchObject({ tokenId: tokenHash('t1').slice(0, 12) });
    await expect(check('t2')).rejects.toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
    await expect(check('t1')).resolves.toMatchObject({ tokenId: tokenHash('t1').slice(0, 12) });
    await expect(check('t3')).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('reads an answer without groups (an older validator) as no groups', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:iris');
    await expect(authorize(sut, bearer('t1'), '/v1/predict')).resolves.toMatchObject({
      groups: [],
    });
  });

  it('refuses a token the validator vouches for on behalf of another audience', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:iris');
    const answer = validator.answers.get('t1');
    if (answer?.active) validator.answers.set('t1', { ...answer, aud: 'another-system' });
    await expect(authorize(sut, bearer('t1'), '/v1/predict')).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
  });

  it('answers an L1 hit synchronously, without a promise', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:iris');
    await authorize(sut, bearer('t1'), '/v1/predict');
    expect(sut.authorize(bearer('t1'), '/v1/predict', 'predict:iris')).toMatchObject({
      sub: 'ada',
      tokenId: expect.any(String),
    });
  });

  it('answers repeated requests from L1 without calling the validator again', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:*');
    for (let i = 0; i < 50; i++) await authorize(sut, bearer('t1'), '/v1/predict');
    expect(validator.calls).toBe(1);
  });

  it('makes one validator call for many concurrent misses on one token', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:iris');
    validator.delayMs = 20;
    await Promise.all(
      Array.from({ length: 100 }, () => authorize(sut, bearer('t1'), '/v1/predict')),
    );
    expect(validator.calls).toBe(1);
  });

  it('makes one validator call per token for concurrent misses on several tokens', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:iris');
    validator.grant('t2', 'predict:iris');
    validator.delayMs = 20;
    const checks = Array.from({ length: 50 }, (_, i) =>
      authorize(sut, bearer(i % 2 ? 't1' : 't2'), '/v1/predict'),
    );
    await expect(Promise.all(checks)).resolves.toHaveLength(50);
    expect(validator.calls).toBe(2);
  });

  it('asks again once a call has answered: answers are served from L1 only', async () => {
    const { sut, validator } = setup({ maxEntries: 0, ttlMs: 60_000, negativeTtlMs: 2_000 });
    validator.grant('t1', 'predict:iris');
    await authorize(sut, bearer('t1'), '/v1/predict');
    await authorize(sut, bearer('t1'), '/v1/predict');
    expect(validator.calls).toBe(2);
  });

  it('refuses every waiter of a call when the token is revoked while it runs', async () => {
    const { sut, validator, cache } = setup();
    validator.grant('t1', 'predict:iris');
    validator.delayMs = 20;
    const waiters = Array.from({ length: 5 }, () => authorize(sut, bearer('t1'), '/v1/predict'));
    await until(() => validator.calls === 1);
    cache.revoke(tokenHash('t1'), Date.now());
    for (const waiter of waiters) {
      await expect(waiter).rejects.toMatchObject({ code: AuthErrorCode.InvalidToken });
    }
    expect(validator.calls).toBe(1);
  });

  it.each([
    [undefined, AuthErrorCode.MissingToken],
    ['Bearer a b', AuthErrorCode.InvalidRequest],
    ['Bearer unknown', AuthErrorCode.InvalidToken],
  ])('refuses %p with %s', async (header, code) => {
    const { sut } = setup();
    await expect(authorize(sut, header, '/v1/predict')).rejects.toMatchObject({ code });
  });

  it('admits any valid token when no scope is required', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:fraud');
    await expect(Promise.resolve(sut.authorize(bearer('t1'), '/v1/models'))).resolves.toMatchObject(
      { sub: 'ada' },
    );
  });

  it('refuses a token without the model scope with insufficient_scope', async () => {
    const { sut, validator } = setup();
    validator.grant('t1', 'predict:fraud models:write:*');
    await expect(authorize(sut, bearer('t1'), '/v1/predict')).rejects.toMatchObject({
      code: AuthErrorCode.InsufficientScope,
      requiredScope: 'predict:iris',
    });
  });

  it('names the missing scope in the 403 body, for clients to show', () => {
    const refusal = new AuthorizationError(
      AuthErrorCode.InsufficientScope,
      'the token does not grant models:write:iris',
      'scope',
      'models:write:iris',
    );
    expect(authorizationReply(refusal)).toMatchObject({
      status: 403,
      code: 'INSUFFICIENT_SCOPE',
      details: { requiredScope: 'models:write:iris' },
    });
  });

  it('caches a negative answer briefly', async () => {
    const { sut, validator } = setup();
    await expect(authorize(sut, bearer('nope'), '/v1/predict')).rejects.toMatchObject({
      code: AuthErrorCode.InvalidToken,
    });
    await expect(authorize(sut, bearer('nope'), '/v1/predict')).rejects.toMatchObject({
      code: AuthErrorCode.InvalidToken,
    });
    expect(validator.calls).toBe(1);
  });

  it('keeps admitting a known unexpired token while the validator is down', async () => {
    const { sut, validator } = setup({ maxEntries: 100, ttlMs: 0, negativeTtlMs: 0 });
    validator.grant('t1', 'predict:iris');
    await authorize(sut, bearer('t1'), '/v1/predict');
    validator.down = true;
    await expect(authorize(sut, bearer('t1'), '/v1/predict')).resolves.toMatchObject({
      sub: 'ada',
    });
  });

  it('answers 401 expired, not 503, for a known token that expired while the validator is down', async () => {
    const { sut, validator } = setup({ maxEntries: 100, ttlMs: 0, negativeTtlMs: 0 });
    validator.grant('t1', 'predict:iris', 1);
    const principal = await authorize(sut, bearer('t1'), '/v1/predict');
    expect(principal.sub).toBe('ada');
    validator.down = true;
    // exp is in whole seconds: the token lives at most one more second.
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    await expect(authorize(sut, bearer('t1'), '/v1/predict')).rejects.toMatchObject({
      code: AuthErrorCode.InvalidToken,
    });
  });

  describe('with sub-second lifetimes', () => {
    // exp with milliseconds, as the issuer writes it for MLRUN_TOKEN_TTL=300ms and the like.
    const grantUntil = (validator: StubValidator, expMs: number) =>
      validator.answers.set('t1', {
        active: true,
        sub: 'ada',
        scope: 'predict:iris',
        aud: 'ml-run',
        iat: Math.floor(Date.now() / 1000),
        exp: expMs / 1000,
        token_type: 'Bearer',
      });

    it('keeps an answer fresh for a millisecond L1 TTL', async () => {
      const { sut, validator, cache } = setup({ maxEntries: 100, ttlMs: 250, negativeTtlMs: 0 });
      const before = Date.now();
      grantUntil(validator, before + 60_123);
      await authorize(sut, bearer('t1'), '/v1/predict');
      const after = Date.now();
      expect(cache.lookup(tokenHash('t1'), before + 249).state).toBe('fresh');
      expect(cache.lookup(tokenHash('t1'), after + 250).state).toBe('stale');
    });

    it('keeps an answer fresh until the millisecond of exp, not the second', async () => {
      const { sut, validator, cache } = setup();
      const expMs = Date.now() + 5_123;
      grantUntil(validator, expMs);
      await authorize(sut, bearer('t1'), '/v1/predict');
      expect(cache.lookup(tokenHash('t1'), expMs - 1).state).toBe('fresh');
      expect(cache.lookup(tokenHash('t1'), expMs).state).toBe('stale');
    });
  });

  it('fails closed with 503 for an unknown token while the validator is down', async () => {
    const { sut, validator } = setup();
    validator.down = true;
    await expect(authorize(sut, bearer('t2'), '/v1/predict')).rejects.toMatchObject({
      code: AuthErrorCode.AuthUnavailable,
    });
  });

  it('refuses a revoked token that was cached', async () => {
    const { sut, validator, cache } = setup();
    validator.grant('t1', 'predict:iris');
    await authorize(sut, bearer('t1'), '/v1/predict');
    cache.revoke(tokenHash('t1'), Date.now());
    await expect(authorize(sut, bearer('t1'), '/v1/predict')).rejects.toMatchObject({
      code: AuthErrorCode.InvalidToken,
    });
  });

  describe('on one keep-alive connection', () => {
    const onConnection = (
      sut: TokenAuthorizer,
      connection: object,
      header: string,
      url = '/v1/predict',
      scope = 'predict:iris',
    ) => Promise.resolve().then(() => sut.authorize(header, url, scope, connection));

    it('refuses its token once revoked, after admitting it', async () => {
      const { sut, validator, cache } = setup();
      const connection = {};
      validator.grant('t1', 'predict:iris');
      await onConnection(sut, connection, bearer('t1'));
      await onConnection(sut, connection, bearer('t1'));
      cache.revoke(tokenHash('t1'), Date.now());
      await expect(onConnection(sut, connection, bearer('t1'))).rejects.toMatchObject({
        code: AuthErrorCode.InvalidToken,
      });
    });

    it('checks the scope each request asks for', async () => {
      const { sut, validator } = setup();
      const connection = {};
      validator.grant('t1', 'predict:iris');
      await onConnection(sut, connection, bearer('t1'));
      await expect(
        onConnection(sut, connection, bearer('t1'), '/v1/predict', 'predict:wine'),
      ).rejects.toMatchObject({ code: AuthErrorCode.InsufficientScope });
    });

    it('refuses a token in the URL even with the header it sent before', async () => {
      const { sut, validator } = setup();
      const connection = {};
      validator.grant('t1', 'predict:iris');
      await onConnection(sut, connection, bearer('t1'));
      await expect(
        onConnection(sut, connection, bearer('t1'), '/v1/predict?access_token=t1'),
      ).rejects.toMatchObject({ code: AuthErrorCode.InvalidRequest });
    });

    it('refuses a later request without the header', async () => {
      const { sut, validator } = setup();
      const connection = {};
      validator.grant('t1', 'predict:iris');
      await onConnection(sut, connection, bearer('t1'));
      await expect(
        Promise.resolve().then(() =>
          sut.authorize(undefined, '/v1/predict', 'predict:iris', connection),
        ),
      ).rejects.toMatchObject({ code: AuthErrorCode.MissingToken });
    });
  });

  it('counts L1 hits and misses in mlrun_auth_l1_lookups_total', async () => {
    const validator = new StubValidator();
    const cache = new L1TokenCache({ maxEntries: 100, ttlMs: 60_000, negativeTtlMs: 2_000 });
    const registry = new Registry();
    const metrics = new AuthorizationMetrics(registry, cache);
    const sut = new TokenAuthorizer(cache, validator as unknown as ValidatorClient, metrics, null);
    validator.grant('t1', 'predict:iris');
    for (let i = 0; i < 3; i++) await authorize(sut, bearer('t1'), '/v1/predict');
    const text = await registry.metrics();
    expect(text).toContain('mlrun_auth_l1_lookups_total{result="miss"} 1');
    expect(text).toContain('mlrun_auth_l1_lookups_total{result="hit"} 2');
  });
});

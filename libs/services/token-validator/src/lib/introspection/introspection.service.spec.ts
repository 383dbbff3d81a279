import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';

import { tokenHash, tokenLogId } from '@ml-run/token-contract';
import { MemoryTokenStore, type TokenStore } from '@ml-run/token-store';

import { TokenError } from './introspection.errors';
import { IntrospectionMetrics } from './introspection.metrics';
import { IntrospectionService } from './introspection.service';

const TOKEN = 'mlr_secret-token-value';
const now = () => Math.floor(Date.now() / 1000);

describe(IntrospectionService.name, () => {
  let store: MemoryTokenStore;
  let registry: Registry;
  let sut: IntrospectionService;
  let logged: unknown[][];

  beforeEach(() => {
    store = new MemoryTokenStore();
    registry = new Registry();
    sut = new IntrospectionService(store, new IntrospectionMetrics(registry));
    logged = [];
    for (const level of ['debug', 'log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(args);
      });
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
    store.close();
  });

  it('describes a live record with space-separated scopes and its groups', async () => {
    await store.put(tokenHash(TOKEN), {
      sub: 'ada',
      scope: ['predict:*', 'admin'],
      groups: ['admins', 'data-team'],
      iat: now(),
      exp: now() + 60,
      aud: 'ml-run',
    });
    await expect(sut.introspect(TOKEN)).resolves.toEqual({
      active: true,
      sub: 'ada',
      scope: 'predict:* admin',
      groups: ['admins', 'data-team'],
      aud: 'ml-run',
      iat: expect.any(Number),
      exp: expect.any(Number),
      token_type: 'Bearer',
    });
  });

  it('answers no groups for a record written before tokens carried them', async () => {
    await store.put(tokenHash(TOKEN), {
      sub: 'ada',
      scope: ['predict:*'],
      iat: now(),
      exp: now() + 60,
      aud: 'ml-run',
    });
    await expect(sut.introspect(TOKEN)).resolves.toMatchObject({ active: true, groups: [] });
  });

  it("answers inactive for a token issued before its user's tokens were all revoked", async () => {
    const issued = Date.now();
    await store.put(tokenHash(TOKEN), {
      sub: 'bob',
      scope: [],
      iat: now(),
      exp: now() + 60,
      iatMs: issued,
      aud: 'ml-run',
    });
    await store.put(tokenHash('mlr_later'), {
      sub: 'bob',
      scope: [],
      iat: now(),
      exp: now() + 60,
      iatMs: issued + 2,
      aud: 'ml-run',
    });
    await store.revokeSubject('bob', issued + 1);
    await expect(sut.introspect(TOKEN)).resolves.toEqual({ active: false });
    await expect(sut.introspect('mlr_later')).resolves.toMatchObject({ active: true, sub: 'bob' });
  });

  it('answers inactive for a record written for another audience, or for none', async () => {
    const base = { sub: 'mallory', scope: ['admin'], iat: now(), exp: now() + 60 };
    await store.put(tokenHash(TOKEN), { ...base, aud: 'another-system' });
    await expect(sut.introspect(TOKEN)).resolves.toEqual({ active: false });
    await store.put(tokenHash(TOKEN), base);
    await expect(sut.introspect(TOKEN)).resolves.toEqual({ active: false });
  });

  it('answers inactive for a record the store returns past its expiry', async () => {
    const lagging: TokenStore = {
      put: async () => undefined,
      delete: async () => false,
      get: async () => ({ sub: 'ada', scope: [], iat: now() - 120, exp: now() - 60 }),
      revokeSubject: async () => undefined,
      subjectNotBefore: async () => undefined,
    };
    sut = new IntrospectionService(lagging, new IntrospectionMetrics(new Registry()));
    await expect(sut.introspect(TOKEN)).resolves.toEqual({ active: false });
  });

  it('turns a store failure into AUTH_UNAVAILABLE, not an inactive answer', async () => {
    jest.spyOn(store, 'get').mockRejectedValue(new Error('connection refused'));
    await expect(sut.introspect(TOKEN)).rejects.toEqual(
      expect.objectContaining({ constructor: TokenError, code: 'AUTH_UNAVAILABLE' }),
    );
    expect(await registry.getSingleMetricAsString('mlrun_introspections_total')).toContain(
      'mlrun_introspections_total{result="error"} 1',
    );
  });

  it('logs the token only as its hash prefix', async () => {
    await store.put(tokenHash(TOKEN), {
      sub: 'ada',
      scope: [],
      iat: now(),
      exp: now() + 60,
      aud: 'ml-run',
    });
    await sut.introspect(TOKEN);
    await sut.introspect('mlr_unknown');
    const text = JSON.stringify(logged);
    expect(text).toContain(tokenLogId(tokenHash(TOKEN)));
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(tokenHash(TOKEN));
    expect(text).not.toContain('mlr_unknown');
  });

  it('times every introspection', async () => {
    await sut.introspect('a');
    await sut.introspect('b');
    expect(
      await registry.getSingleMetricAsString('mlrun_introspection_duration_seconds'),
    ).toContain('mlrun_introspection_duration_seconds_count 2');
  });
});

import type { EventPublisher } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { SCRAPER } from '@ml-run/server/testing';
import { TOKEN_EVENTS_TOPIC, tokenHash, type TokenRevokedEvent } from '@ml-run/token-contract';

import { ADA_PASSWORD, startTestIssuer, type TestIssuer } from '../../testing/start-test-issuer';
import { RevocationController } from './revocation.controller';

async function loginAda(issuer: TestIssuer): Promise<string> {
  const res = await issuer.app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    payload: { grant_type: 'password', username: 'ada', password: ADA_PASSWORD },
  });
  return res.json().access_token;
}

const revoke = (payload: Record<string, string>) =>
  ({ method: 'POST', url: '/v1/auth/revoke', payload }) as const;

describe(RevocationController.name, () => {
  let issuer: TestIssuer;
  let sut: ServiceApp;
  let events: TokenRevokedEvent[];

  beforeEach(async () => {
    issuer = await startTestIssuer();
    sut = issuer.app;
    events = [];
    issuer.bus.subscribe<TokenRevokedEvent>(TOKEN_EVENTS_TOPIC, (e) => void events.push(e));
  });
  afterEach(() => issuer.close());

  it('removes the record and publishes exactly one token.revoked with the hash', async () => {
    const token = await loginAda(issuer);
    const res = await sut.inject(revoke({ token, token_type_hint: 'access_token' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    expect(await issuer.tokenStore.get(tokenHash(token))).toBeUndefined();
    expect(events).toEqual([
      {
        type: 'token.revoked',
        tokenHash: tokenHash(token),
        sub: 'ada',
        revokedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it('accepts an OAuth2 form', async () => {
    const token = await loginAda(issuer);
    const res = await sut.inject({
      method: 'POST',
      url: '/v1/auth/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${encodeURIComponent(token)}`,
    });
    expect(res.statusCode).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('answers 200 and publishes nothing for an unknown token', async () => {
    const res = await sut.inject(revoke({ token: 'mlr_not-a-token' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    expect(events).toEqual([]);
  });

  it('publishes once when a token is revoked twice', async () => {
    const token = await loginAda(issuer);
    await sut.inject(revoke({ token }));
    expect((await sut.inject(revoke({ token }))).statusCode).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('refuses a request without a token as invalid_request', async () => {
    const res = await sut.inject(revoke({ token_type_hint: 'access_token' }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'missing required parameter: token',
      code: 'INVALID_REQUEST',
      message: 'missing required parameter: token',
    });
  });

  it('counts revoked tokens in /metrics', async () => {
    await sut.inject(revoke({ token: await loginAda(issuer) }));
    await sut.inject(revoke({ token: 'mlr_unknown' }));
    const res = await sut.inject({ method: 'GET', url: '/metrics', headers: SCRAPER });
    expect(res.body).toMatch(/mlrun_tokens_revoked_total\{service="auth-issuer"\} 1/);
  });

  describe('when the event cannot be published', () => {
    const failing: EventPublisher = {
      publish: () => Promise.reject(new Error('kafka down')),
    };

    beforeEach(async () => {
      await issuer.close();
      issuer = await startTestIssuer({}, failing);
      sut = issuer.app;
    });

    it('keeps the token valid and answers 503 so the client retries', async () => {
      const token = await loginAda(issuer);
      const res = await sut.inject(revoke({ token }));
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toMatchObject({
        error: 'temporarily_unavailable',
        code: 'AUTH_UNAVAILABLE',
      });
      expect(await issuer.tokenStore.get(tokenHash(token))).toMatchObject({ sub: 'ada' });
    });

    it('answers 503, not 500, when the token store cannot take the record back either', async () => {
      const token = await loginAda(issuer);
      jest.spyOn(issuer.tokenStore, 'put').mockRejectedValue(new Error('Ignite is away'));
      const res = await sut.inject(revoke({ token }));
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toMatchObject({
        error: 'temporarily_unavailable',
        code: 'AUTH_UNAVAILABLE',
        message: expect.stringContaining('token store cannot be reached'),
      });
    });
  });

  it('answers 503 with Retry-After when the token store cannot be reached', async () => {
    const token = await loginAda(issuer);
    jest.spyOn(issuer.tokenStore, 'get').mockRejectedValue(new Error('Ignite is away'));
    const res = await sut.inject(revoke({ token }));
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({
      error: 'temporarily_unavailable',
      code: 'AUTH_UNAVAILABLE',
    });
    expect(events).toEqual([]);
  });
});

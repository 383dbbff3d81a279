import { SCRAPER } from '@ml-run/server/testing';
import { tokenHash } from '@ml-run/token-contract';
import type { TokenRecord, TokenStore } from '@ml-run/token-store';

import {
  AUTHORIZED,
  startTestValidator,
  type TestValidator,
} from '../../testing/start-test-validator';
import { IntrospectionController } from './introspection.controller';

const TOKEN = 'mlr_live-token';
const nowSeconds = () => Math.floor(Date.now() / 1000);

function record(overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    sub: 'ada',
    scope: ['predict:iris', 'models:write:iris'],
    groups: ['publishers'],
    iat: nowSeconds(),
    exp: nowSeconds() + 3600,
    aud: 'ml-run',
    ...overrides,
  };
}

function introspectJson(validator: TestValidator, body: unknown, headers = AUTHORIZED) {
  return validator.app.inject({
    method: 'POST',
    url: '/v1/tokens/introspect',
    headers: { ...headers, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

function introspectForm(validator: TestValidator, form: string) {
  return validator.app.inject({
    method: 'POST',
    url: '/v1/tokens/introspect',
    headers: { ...AUTHORIZED, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form,
  });
}

describe(IntrospectionController.name, () => {
  let sut: TestValidator;

  beforeAll(async () => {
    sut = await startTestValidator();
  });
  afterAll(() => sut.close());

  describe('with the service credential', () => {
    it('describes an active token (JSON body)', async () => {
      const stored = record();
      await sut.store.put(tokenHash(TOKEN), stored);
      const res = await introspectJson(sut, { token: TOKEN });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        active: true,
        sub: 'ada',
        scope: 'predict:iris models:write:iris',
        groups: ['publishers'],
        aud: 'ml-run',
        exp: stored.exp,
        iat: stored.iat,
        token_type: 'Bearer',
      });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('describes an active token (form body, as RFC 7662 sends it)', async () => {
      await sut.store.put(tokenHash('mlr_form+token/='), record({ sub: 'grace' }));
      const form = new URLSearchParams({
        token: 'mlr_form+token/=',
        token_type_hint: 'access_token',
      });
      const res = await introspectForm(sut, form.toString());
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ active: true, sub: 'grace' });
    });

    it('answers active:false and nothing else for an unknown token', async () => {
      const res = await introspectForm(sut, 'token=mlr_never-issued');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ active: false });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('answers active:false for a revoked token', async () => {
      await sut.store.put(tokenHash('mlr_revoked'), record());
      await sut.store.delete(tokenHash('mlr_revoked'));
      const res = await introspectJson(sut, { token: 'mlr_revoked' });
      expect(res.json()).toEqual({ active: false });
    });

    it('answers a sub-second exp to the millisecond, as the record has it', async () => {
      const exp = (Date.now() + 60_123) / 1000; // three decimals, as the issuer writes it
      await sut.store.put(tokenHash('mlr_short'), record({ exp }));
      const res = await introspectJson(sut, { token: 'mlr_short' });
      expect(res.body).toContain(`"exp":${exp}`);
      expect(res.json().exp).toBe(exp);
    });

    it('answers active:false once a sub-second exp has passed', async () => {
      const exp = (Date.now() - 1) / 1000;
      await sut.store.put(tokenHash('mlr_just-expired'), record({ exp }));
      const res = await introspectJson(sut, { token: 'mlr_just-expired' });
      expect(res.json()).toEqual({ active: false });
    });

    it('answers active:false for an expired token', async () => {
      await sut.store.put(tokenHash('mlr_expired'), record({ exp: nowSeconds() - 1 }));
      const res = await introspectJson(sut, { token: 'mlr_expired' });
      expect(res.json()).toEqual({ active: false });
    });

    it.each([
      ['an empty JSON object', 'application/json', '{}'],
      ['an empty token', 'application/json', '{"token":""}'],
      ['a non-string token', 'application/json', '{"token":42}'],
      ['a form without token', 'application/x-www-form-urlencoded', 'token_type_hint=access_token'],
      ['two tokens in a form', 'application/x-www-form-urlencoded', 'token=a&token=b'],
    ])('refuses %s with 400 invalid_request', async (_what, contentType, payload) => {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/v1/tokens/introspect',
        headers: { ...AUTHORIZED, 'content-type': contentType },
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('invalid_request'),
      });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('refuses a request without a body with 400', async () => {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/v1/tokens/introspect',
        headers: AUTHORIZED,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('INVALID_REQUEST');
    });

    it('counts introspections by result', async () => {
      await introspectJson(sut, { token: 'mlr_never-issued' });
      const metrics = (await sut.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER }))
        .body;
      expect(metrics).toMatch(
        /mlrun_introspections_total\{result="inactive",service="token-validator"\} [1-9]/,
      );
      expect(metrics).toMatch(
        /mlrun_introspections_total\{result="active",service="token-validator"\} [1-9]/,
      );
      expect(metrics).toContain('mlrun_introspection_duration_seconds_count');
    });
  });

  describe('without the service credential', () => {
    it.each([
      ['no Authorization header', {}],
      ['a wrong credential', { authorization: 'Bearer not-the-introspection-credential-0123' }],
      ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ])('refuses %s with 401 and a Bearer challenge', async (_what, headers) => {
      await sut.store.put(tokenHash(TOKEN), record());
      const res = await introspectJson(sut, { token: TOKEN }, headers as typeof AUTHORIZED);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        code: 'INVALID_SERVICE_CREDENTIAL',
        message: expect.any(String),
      });
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="ml-run-services", error="invalid_token"',
      );
      expect(res.body).not.toContain('ada');
    });
  });

  describe('when the token store fails', () => {
    let failing: TestValidator;
    const brokenStore: TokenStore = {
      put: () => Promise.reject(new Error('ignite down')),
      get: () => Promise.reject(new Error('ignite down')),
      delete: () => Promise.reject(new Error('ignite down')),
      revokeSubject: () => Promise.reject(new Error('ignite down')),
      subjectNotBefore: () => Promise.reject(new Error('ignite down')),
    };

    beforeAll(async () => {
      failing = await startTestValidator({ store: brokenStore });
    });
    afterAll(() => failing.close());

    it('answers 503 AUTH_UNAVAILABLE with Retry-After, never active:false', async () => {
      const res = await introspectJson(failing, { token: TOKEN });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({ code: 'AUTH_UNAVAILABLE', message: expect.any(String) });
      expect(res.body).not.toContain('active');
      expect(res.body).not.toContain('ignite down');
    });

    it('counts the failure as an error', async () => {
      const metrics = (
        await failing.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER })
      ).body;
      expect(metrics).toMatch(
        /mlrun_introspections_total\{result="error",service="token-validator"\} [1-9]/,
      );
    });
  });

  describe('OpenAPI document', () => {
    it('lists both endpoints with bearer security', async () => {
      const res = await sut.app.inject({ method: 'GET', url: '/docs/json' });
      const { paths } = res.json() as {
        paths: Record<string, Record<string, { security?: unknown }>>;
      };
      expect(paths['/v1/tokens/introspect']?.['post']?.security).toEqual([{ bearer: [] }]);
      expect(paths['/v1/tokens/events']?.['get']?.security).toEqual([{ bearer: [] }]);
    });
  });
});

import type { InjectOptions } from 'fastify';

import { SCRAPER } from '@ml-run/server/testing';
import { tokenHash, tokenLogId } from '@ml-run/token-contract';
import { USER_DIRECTORY, type UserDirectory } from '@ml-run/user-directory';

import { ADA_PASSWORD, startTestIssuer, type TestIssuer } from '../../testing/start-test-issuer';
import { TokenController } from './token.controller';

const WRONG = {
  error: 'invalid_grant',
  error_description: 'username or password is wrong',
  code: 'INVALID_CREDENTIALS',
  message: 'username or password is wrong',
};

function login(fields: Record<string, string>, extra: Partial<InjectOptions> = {}): InjectOptions {
  return { method: 'POST', url: '/v1/auth/token', payload: fields, ...extra };
}

function form(fields: string, remoteAddress = '127.0.0.1'): InjectOptions {
  return {
    method: 'POST',
    url: '/v1/auth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: fields,
    remoteAddress,
  };
}

// Headers that differ per request whatever the outcome.
const stableHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(headers).filter(([name]) => !['x-request-id', 'date'].includes(name)),
  );

const ada = (password = ADA_PASSWORD) => ({ grant_type: 'password', username: 'ada', password });

describe(TokenController.name, () => {
  describe('password grant', () => {
    let issuer: TestIssuer;
    let sut: TestIssuer['app'];

    beforeAll(async () => {
      issuer = await startTestIssuer({ MLRUN_TOKEN_TTL: '120' });
      sut = issuer.app;
    });
    afterAll(() => issuer.close());

    it('issues an opaque token for a JSON login, never cached', async () => {
      const res = await sut.inject(login(ada()));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        access_token: expect.stringMatching(/^mlr_[A-Za-z0-9_-]{43}$/),
        token_type: 'Bearer',
        expires_in: 120,
        scope: 'models:write:* predict:*',
      });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['pragma']).toBe('no-cache');
    });

    it('accepts the grant as an OAuth2 form', async () => {
      const res = await sut.inject(
        form(`grant_type=password&username=ada&password=${encodeURIComponent(ADA_PASSWORD)}`),
      );
      expect(res.statusCode).toBe(200);
      expect(res.json().token_type).toBe('Bearer');
    });

    it('records the token under its hash with sub, scope, iat and exp = iatMs + TTL', async () => {
      const before = Math.floor(Date.now() / 1000);
      const token: string = (await sut.inject(login(ada()))).json().access_token;
      const record = await issuer.tokenStore.get(tokenHash(token));
      expect(record).toEqual({
        sub: 'ada',
        scope: ['models:write:*', 'predict:*'],
        groups: ['publishers'],
        iat: expect.any(Number),
        exp: expect.any(Number),
        iatMs: expect.any(Number),
        aud: 'ml-run',
      });
      expect(record?.iat).toBeGreaterThanOrEqual(before);
      expect(Math.floor((record?.iatMs ?? 0) / 1000)).toBe(record?.iat);
      expect((record?.exp ?? 0) * 1000).toBeCloseTo((record?.iatMs ?? 0) + 120_000, 3);
      expect(await issuer.tokenStore.get(token)).toBeUndefined();
    });

    it('issues a new token on every login', async () => {
      const first = (await sut.inject(login(ada()))).json().access_token;
      const second = (await sut.inject(login(ada()))).json().access_token;
      expect(first).not.toBe(second);
    });

    it.each([
      ['predict:iris', 'predict:iris'],
      ['predict:iris  models:write:iris', 'predict:iris models:write:iris'],
      ['models:write', 'models:write:*'],
      ['models:read:iris models:write:*', 'models:read:iris models:write:*'],
      ['predict:*', 'predict:*'],
    ])('down-scopes to %p', async (scope, granted) => {
      const res = await sut.inject(login({ ...ada(), scope }));
      expect(res.statusCode).toBe(200);
      expect(res.json().scope).toBe(granted);
      const record = await issuer.tokenStore.get(tokenHash(res.json().access_token));
      expect(record?.scope).toEqual(granted.split(' '));
    });

    it.each(['admin', 'predict:iris admin', 'predict:Iris', 'everything'])(
      'refuses the scope %p with invalid_scope',
      async (scope) => {
        const res = await sut.inject(login({ ...ada(), scope }));
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ error: 'invalid_scope', code: 'INVALID_SCOPE' });
        expect(res.headers['cache-control']).toBe('no-store');
      },
    );

    it('answers a wrong password and an unknown user identically', async () => {
      const wrongPassword = await sut.inject(login(ada('not the password')));
      const unknownUser = await sut.inject(
        login({ grant_type: 'password', username: 'nobody', password: ADA_PASSWORD }),
      );
      for (const res of [wrongPassword, unknownUser]) {
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual(WRONG);
        expect(res.headers['cache-control']).toBe('no-store');
      }
      expect(stableHeaders(wrongPassword.headers)).toEqual(stableHeaders(unknownUser.headers));
    });

    it('refuses another grant type with unsupported_grant_type', async () => {
      const res = await sut.inject(login({ grant_type: 'client_credentials' }));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'only grant_type=password is supported',
        code: 'INVALID_GRANT_REQUEST',
        message: 'only grant_type=password is supported',
      });
    });

    it.each([
      ['no body', { method: 'POST', url: '/v1/auth/token' } as InjectOptions, 'grant_type'],
      ['no grant_type', login({ username: 'ada', password: ADA_PASSWORD }), 'grant_type'],
      ['no username', login({ grant_type: 'password', password: ADA_PASSWORD }), 'username'],
      ['no password', login({ grant_type: 'password', username: 'ada' }), 'password'],
      ['an empty password', login({ ...ada(''), password: '' }), 'password'],
      [
        'a repeated username',
        form('grant_type=password&username=a&username=b&password=x'),
        'single',
      ],
      [
        'a JSON array',
        login({}, { payload: '[1]', headers: { 'content-type': 'application/json' } }),
        'JSON object',
      ],
    ])('refuses a request with %s as invalid_request', async (_what, request, hint) => {
      const res = await sut.inject(request);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_request', code: 'INVALID_GRANT_REQUEST' });
      expect(res.json().message).toContain(hint);
    });

    it('counts issued tokens and failed logins in /metrics', async () => {
      const res = await sut.inject({ method: 'GET', url: '/metrics', headers: SCRAPER });
      expect(res.body).toMatch(/mlrun_tokens_issued_total\{service="auth-issuer"\} [1-9]/);
      expect(res.body).toMatch(/mlrun_logins_failed_total\{reason="credentials",[^}]*\} [1-9]/);
      expect(res.body).toMatch(/mlrun_logins_failed_total\{reason="throttled",[^}]*\} 0/);
    });

    it('logs the subject and token id, never the token or the password', async () => {
      issuer.logs.length = 0;
      const token: string = (await sut.inject(login(ada()))).json().access_token;
      await sut.inject(login(ada('a wrong password')));
      const issued = issuer.logs.find((line) => line['msg'] === 'token issued');
      expect(issued).toMatchObject({ sub: 'ada', tokenId: tokenLogId(tokenHash(token)) });
      const failed = issuer.logs.find((line) => line['msg'] === 'login failed');
      expect(failed).toMatchObject({ username: 'ada', reason: 'credentials' });
      const text = JSON.stringify(issuer.logs);
      expect(text).not.toContain(token);
      expect(text).not.toContain(ADA_PASSWORD);
      expect(text).not.toContain('a wrong password');
    });

    it('documents both endpoints with JSON and form bodies in OpenAPI', async () => {
      const doc = (await sut.inject({ method: 'GET', url: '/docs/json' })).json();
      for (const route of ['/v1/auth/token', '/v1/auth/revoke']) {
        const content = doc.paths[route].post.requestBody.content;
        expect(Object.keys(content)).toEqual([
          'application/json',
          'application/x-www-form-urlencoded',
        ]);
      }
      expect(doc.paths['/v1/auth/token'].post.responses).toHaveProperty('429');
      expect(doc.components.schemas.IssueTokenDto.required).toEqual(
        expect.arrayContaining(['grant_type', 'username', 'password']),
      );
    });
  });

  describe('throttling per username', () => {
    let issuer: TestIssuer;
    let sut: TestIssuer['app'];
    let users: UserDirectory;

    beforeEach(async () => {
      issuer = await startTestIssuer({
        MLRUN_LOGIN_MAX_FAILURES_PER_USER: '3',
        MLRUN_LOGIN_LOCK_SECONDS: '600',
      });
      sut = issuer.app;
      users = sut.nest.get(USER_DIRECTORY);
    });
    afterEach(() => issuer.close());

    // A guesser at one address; the account's owner logs in from another.
    const GUESSER = '10.1.0.1';
    const attempt = (username: string, password: string, address = GUESSER) =>
      sut.inject(login({ grant_type: 'password', username, password }, { remoteAddress: address }));

    it('locks a username at the failing address, refusing even the right password unchecked', async () => {
      for (let n = 1; n <= 3; n++) expect((await attempt('ada', 'wrong')).statusCode).toBe(400);
      const check = jest.spyOn(users, 'authenticate');
      const res = await attempt('ada', ADA_PASSWORD);
      expect(res.statusCode).toBe(429);
      expect(res.json()).toEqual({
        error: 'temporarily_unavailable',
        error_description: expect.stringContaining('too many failed logins'),
        code: 'TOO_MANY_ATTEMPTS',
        message: expect.stringContaining('too many failed logins'),
      });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(599);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(600);
      expect(check).not.toHaveBeenCalled();
      expect((await attempt('pat', 'pat-password-123')).statusCode).toBe(200);
    });

    it("does not hand a guesser a lockout: ada's right password from her own address passes", async () => {
      for (let n = 1; n <= 8; n++) await attempt('ada', 'wrong');
      expect((await attempt('ada', ADA_PASSWORD)).statusCode).toBe(429);
      expect((await attempt('ada', ADA_PASSWORD, '10.2.0.7')).statusCode).toBe(200);
    });

    it('locks an unknown username the same way, so the answer reveals nothing', async () => {
      for (let n = 1; n <= 3; n++) {
        await attempt('ada', 'wrong');
        await attempt('nobody', 'wrong');
      }
      const known = await attempt('ada', 'wrong');
      const unknown = await attempt('nobody', 'wrong');
      expect(unknown.statusCode).toBe(429);
      expect(unknown.json()).toEqual(known.json());
      expect(unknown.headers['retry-after']).toBe(known.headers['retry-after']);
    });

    it('resets the username counter on a successful login', async () => {
      for (let n = 1; n <= 2; n++) await attempt('ada', 'wrong');
      expect((await attempt('ada', ADA_PASSWORD)).statusCode).toBe(200);
      for (let n = 4; n <= 5; n++) await attempt('ada', 'wrong');
      expect((await attempt('ada', ADA_PASSWORD)).statusCode).toBe(200);
    });

    it('counts throttled logins in /metrics', async () => {
      for (let n = 1; n <= 4; n++) await attempt('ada', 'wrong');
      const res = await sut.inject({ method: 'GET', url: '/metrics', headers: SCRAPER });
      expect(res.body).toMatch(/mlrun_logins_failed_total\{reason="throttled",[^}]*\} 1/);
      expect(res.body).toMatch(/mlrun_logins_failed_total\{reason="credentials",[^}]*\} 3/);
    });
  });

  describe('throttling per address', () => {
    let issuer: TestIssuer;

    beforeAll(async () => {
      issuer = await startTestIssuer({
        MLRUN_LOGIN_MAX_FAILURES_PER_USER: '100',
        MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS: '3',
        MLRUN_LOGIN_LOCK_SECONDS: '60',
      });
    });
    afterAll(() => issuer.close());

    it('locks an address after its failures across usernames, other addresses unaffected', async () => {
      const from = (address: string, username: string, password: string) =>
        issuer.app.inject(
          login({ grant_type: 'password', username, password }, { remoteAddress: address }),
        );
      for (const username of ['ada', 'pat', 'nobody']) {
        expect((await from('10.2.0.1', username, 'wrong')).statusCode).toBe(400);
      }
      const locked = await from('10.2.0.1', 'ada', ADA_PASSWORD);
      expect(locked.statusCode).toBe(429);
      expect(locked.json().code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(59);
      expect((await from('10.2.0.2', 'ada', ADA_PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('behind a trusted proxy (the builder’s console)', () => {
    let issuer: TestIssuer;

    beforeAll(async () => {
      issuer = await startTestIssuer({
        MLRUN_LOGIN_MAX_FAILURES_PER_USER: '100',
        MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS: '3',
        MLRUN_LOGIN_LOCK_SECONDS: '60',
        MLRUN_TRUSTED_PROXIES: '10.3.0.1',
      });
    });
    afterAll(() => issuer.close());

    const via = (peer: string, client: string, password: string) =>
      issuer.app.inject(
        login(
          { grant_type: 'password', username: 'ada', password },
          { remoteAddress: peer, headers: { 'x-forwarded-for': client } },
        ),
      );

    it('locks the client it forwards for, not every caller of the proxy', async () => {
      for (let i = 0; i < 3; i += 1) {
        expect((await via('10.3.0.1', '198.51.100.1', 'wrong')).statusCode).toBe(400);
      }
      expect((await via('10.3.0.1', '198.51.100.1', ADA_PASSWORD)).statusCode).toBe(429);
      expect((await via('10.3.0.1', '198.51.100.2', ADA_PASSWORD)).statusCode).toBe(200);
    });

    it('believes X-Forwarded-For from no one else', async () => {
      for (let i = 0; i < 3; i += 1) {
        expect((await via('10.3.0.9', `198.51.100.${10 + i}`, 'wrong')).statusCode).toBe(400);
      }
      expect((await via('10.3.0.9', '198.51.100.20', ADA_PASSWORD)).statusCode).toBe(429);
    });
  });
});

import {
  handlersThatRan,
  probeProtectedRoutes,
  probeWithForeignCredentials,
  SCRAPER,
  startWithHandlerSpies,
  TEST_CREDENTIALS,
  type HandlerSpy,
} from '@ml-run/server/testing';

import { startTestIssuer, type TestIssuer } from '../../testing/start-test-issuer';

// An attacker without a token at the issuer's one protected door: revoking every token of
// a user (an admin's job), under every spelling of its path; and /metrics, which only the
// scrape credential opens (not another service's credential, nor an admin's token).
describe('auth-issuer doors', () => {
  let sut: TestIssuer;
  let spies: HandlerSpy[];
  let restore: () => void;

  beforeAll(async () => {
    ({
      started: sut,
      spies,
      restore,
    } = await startWithHandlerSpies(
      () => startTestIssuer(),
      (issuer) => issuer.app,
      (issuer) => issuer.close(),
    ));
  });
  afterAll(async () => {
    await sut.close();
    restore();
  });

  it('keeps login and revocation public, and user-wide revocation for admins', () => {
    const rules = Object.fromEntries(sut.app.routes.map((r) => [`${r.method} ${r.url}`, r.rules]));
    expect(rules['POST /v1/auth/token']).toEqual([{ kind: 'public' }]);
    expect(rules['POST /v1/auth/revoke']).toEqual([{ kind: 'public' }]);
    expect(rules['POST /v1/auth/users/:name/revoke-tokens']).toEqual([
      { kind: 'token', scope: 'admin' },
    ]);
  });

  it('runs no protected handler for any spelling of any door without credentials', async () => {
    const answers = await probeProtectedRoutes(sut.app, { name: 'ada' });
    expect(answers.length).toBeGreaterThan(100);
    expect(answers.filter((a) => a.status >= 200 && a.status < 300)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
    expect(await sut.tokenStore.subjectNotBefore('ada')).toBeUndefined();
  });

  it("opens no door to another role's credential", async () => {
    const answers = await probeWithForeignCredentials(sut.app, TEST_CREDENTIALS, { name: 'ada' });
    expect(answers.map((a) => `${a.role} ${a.method} ${a.url}`)).toEqual(
      expect.arrayContaining([
        'introspection GET /metrics',
        'route-table GET /metrics',
        'metrics POST /v1/auth/users/ada/revoke-tokens',
      ]),
    );
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
    expect(await sut.tokenStore.subjectNotBefore('ada')).toBeUndefined();
  });

  it("refuses an admin's token at /metrics, and serves the scrape credential", async () => {
    const login = await sut.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username: 'root', password: 'root-password-123' },
    });
    const admin = { authorization: `Bearer ${login.json().access_token}` };
    const scrape = (headers: Record<string, string>) =>
      sut.app.inject({ method: 'GET', url: '/metr%69cs', headers });
    expect((await scrape(admin)).statusCode).toBe(401);
    expect(handlersThatRan(spies)).toEqual([]);
    expect((await scrape(SCRAPER)).statusCode).toBe(200);
  });

  it('counts a handler that runs, so the probes above can fail', async () => {
    const login = await sut.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username: 'root', password: 'root-password-123' },
    });
    const res = await sut.app.inject({
      method: 'POST',
      url: '/v1/auth/users/ada/revoke-tokens',
      headers: { authorization: `Bearer ${login.json().access_token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(spies.find((spy) => spy.name === 'UserRevocationController.revokeTokens')?.calls()).toBe(
      1,
    );
  });
});

import {
  handlersThatRan,
  probeProtectedRoutes,
  probeWithForeignCredentials,
  SCRAPER,
  spellingsOf,
  startWithHandlerSpies,
  TEST_CREDENTIALS,
  type HandlerSpy,
} from '@ml-run/server/testing';
import { listUsers } from '@ml-run/user-directory';

import { startTestIssuer, type TestIssuer } from '../testing/start-test-issuer';

// An attacker without a token at the issuer's protected doors: revoking every token of a
// user, and listing, adding and removing users (an admin's jobs), under every spelling of
// their paths; a user whose token lacks admin (a publisher, a predict-only client) at the
// same doors; and /metrics, which only the scrape credential opens (not another service's
// credential, nor an admin's token).
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

  const USERS_BEFORE = [
    { username: 'ada', groups: ['publishers'] },
    { username: 'pat', groups: ['predictors'] },
    { username: 'root', groups: ['admins'] },
  ];
  const ADMIN_DOORS = [
    'POST /v1/auth/users/:name/revoke-tokens',
    'GET /v1/users',
    'POST /v1/users',
    'DELETE /v1/users/:name',
    'POST /v1/users/:name/revoke-tokens',
    'GET /v1/groups',
  ];

  it('keeps login and revocation public, and user administration for admins', () => {
    const rules = Object.fromEntries(sut.app.routes.map((r) => [`${r.method} ${r.url}`, r.rules]));
    expect(rules['POST /v1/auth/token']).toEqual([{ kind: 'public' }]);
    expect(rules['POST /v1/auth/revoke']).toEqual([{ kind: 'public' }]);
    // Public keys only: verifying is for anyone, signing for nobody but the issuer.
    expect(rules['GET /v1/auth/jwks']).toEqual([{ kind: 'public' }]);
    for (const door of ADMIN_DOORS) {
      expect({ door, rules: rules[door] }).toEqual({
        door,
        rules: [{ kind: 'token', scope: 'admin' }],
      });
    }
  });

  it('runs no protected handler for any spelling of any door without credentials', async () => {
    const answers = await probeProtectedRoutes(sut.app, { name: 'ada' });
    expect(answers.length).toBeGreaterThan(100);
    expect(answers.filter((a) => a.status >= 200 && a.status < 300)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
    expect(await sut.tokenStore.subjectNotBefore('ada')).toBeUndefined();
    expect(await listUsers(sut.usersFile)).toEqual(USERS_BEFORE);
  });

  it('opens no admin door to a publisher’s or a predict-only token, under any spelling', async () => {
    const answers: number[] = [];
    for (const [username, password] of [
      ['ada', 'ada-password-123'],
      ['pat', 'pat-password-123'],
    ]) {
      const login = await sut.app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        payload: { grant_type: 'password', username, password },
      });
      const authorization = `Bearer ${login.json().access_token}`;
      for (const route of sut.app.routes) {
        if (!ADMIN_DOORS.includes(`${route.method} ${route.url}`)) continue;
        for (const probe of spellingsOf(route, { name: 'root' })) {
          const bodyless = probe.method === 'GET' || probe.method === 'HEAD';
          const status = await sut.app
            .inject({
              ...probe,
              headers: { ...probe.headers, authorization },
              payload: bodyless ? undefined : { username: 'eve', groups: ['admins'] },
            })
            // A spelling no HTTP client can put on the wire never reaches the service.
            .then(
              (res) => res.statusCode,
              () => 0,
            );
          answers.push(status);
        }
      }
    }
    // Spellings that match no route answer 404 (or 400); none may succeed.
    expect(answers.filter((status) => status >= 200 && status < 300)).toEqual([]);
    expect(answers.filter((status) => status === 403).length).toBeGreaterThan(100);
    expect(handlersThatRan(spies)).toEqual([]);
    expect(await sut.tokenStore.subjectNotBefore('root')).toBeUndefined();
    expect(await listUsers(sut.usersFile)).toEqual(USERS_BEFORE);
  });

  it("opens no door to another role's credential", async () => {
    const answers = await probeWithForeignCredentials(sut.app, TEST_CREDENTIALS, { name: 'ada' });
    expect(answers.map((a) => `${a.role} ${a.method} ${a.url}`)).toEqual(
      expect.arrayContaining([
        'introspection GET /metrics',
        'route-table GET /metrics',
        'metrics POST /v1/auth/users/ada/revoke-tokens',
        'metrics GET /v1/users',
        'metrics POST /v1/users',
        'metrics DELETE /v1/users/ada',
        'metrics GET /v1/groups',
      ]),
    );
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
    expect(await sut.tokenStore.subjectNotBefore('ada')).toBeUndefined();
    expect(await listUsers(sut.usersFile)).toEqual(USERS_BEFORE);
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

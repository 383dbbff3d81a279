import {
  handlersThatRan,
  probeProtectedRoutes,
  probeWithForeignCredentials,
  SCRAPER,
  startWithHandlerSpies,
  TEST_CREDENTIALS,
  type HandlerSpy,
} from '@ml-run/server/testing';

import { bearer, READER_TOKEN, WRITER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

// An attacker without a token at every door of the registry: uploads, reads, bundles,
// builds and their event streams, deployments, aliases and the route table; and with some
// service's credential: a wrapper's introspection credential, a router's, the console's
// or a scraper's each open only their own doors.
describe('builder doors', () => {
  let sut: TestBuilder;
  let spies: HandlerSpy[];
  let restore: () => void;

  beforeAll(async () => {
    ({
      started: sut,
      spies,
      restore,
    } = await startWithHandlerSpies(
      () => startTestBuilder(),
      (builder) => builder.app,
      (builder) => builder.close(),
    ));
  });
  afterAll(async () => {
    await sut.close();
    restore();
  });

  // The console's files are no secret, and its proxy forwards only allowlisted calls whose
  // bearer token the upstream checks (console-routes.spec.ts tries the spellings).
  it('declares a rule on every route, and only probes, docs and the console are public', () => {
    const publicRoutes = sut.app.routes
      .filter((r) => r.rules.some((rule) => rule.kind === 'public'))
      .map((r) => r.url);
    expect(new Set(publicRoutes)).toEqual(
      new Set([
        '/healthz',
        '/readyz',
        '/console',
        '/console/*',
        '/console/api/*',
        '/console/api/issuer/*',
        '/console/api/router/*',
        ...publicRoutes.filter((u) => u.startsWith('/docs')),
      ]),
    );
    expect(sut.app.routes.length).toBeGreaterThan(20);
  });

  it('runs no protected handler for any spelling of any door without credentials', async () => {
    const answers = await probeProtectedRoutes(sut.app, {
      name: 'echo',
      version: '1.0.0+0123456789ab',
      id: 'b-0123456789abcdef',
      alias: 'stable',
    });
    expect(answers.length).toBeGreaterThan(1000);
    expect(answers.filter((a) => a.status >= 200 && a.status < 300)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
  });

  it('names the role of every service door', () => {
    const roles = sut.app.routes
      .filter((r) => r.method === 'GET')
      .flatMap((r) =>
        r.rules.map((rule) => (rule.kind === 'service' ? `${r.url} ${rule.role}` : '')),
      )
      .filter(Boolean);
    expect(roles.sort()).toEqual([
      '/metrics metrics',
      '/v1/models registry-read',
      '/v1/models/:name registry-read',
      '/v1/models/:name/versions/:version registry-read',
      '/v1/routes route-table',
    ]);
  });

  it("opens no door to another role's credential", async () => {
    const params = { name: 'echo', version: '1.0.0+0123456789ab', id: 'b-0123456789abcdef' };
    const answers = await probeWithForeignCredentials(sut.app, TEST_CREDENTIALS, {
      ...params,
      alias: 'stable',
    });
    expect(answers.map((a) => `${a.role} ${a.method} ${a.url}`)).toEqual(
      expect.arrayContaining([
        'introspection GET /v1/routes',
        'introspection GET /v1/models',
        'introspection GET /metrics',
        'registry-read GET /v1/routes',
        'registry-read GET /v1/models/echo/versions/1.0.0+0123456789ab/bundle',
        'registry-read GET /v1/builds/b-0123456789abcdef',
        'registry-read POST /v1/models',
        'registry-read GET /v1/models/echo/traffic',
        'registry-read GET /v1/models/echo/events',
        'registry-read GET /v1/models/echo/versions/1.0.0+0123456789ab/errors',
        'metrics GET /v1/models/echo/traffic',
        'route-table GET /v1/models',
        'metrics GET /v1/routes',
      ]),
    );
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
  });

  it("refuses the console's credential at the route table without asking about it as a token", async () => {
    const asked = sut.authorizer.calls;
    const res = await sut.app.inject({
      method: 'GET',
      url: '/v1/r%6futes',
      headers: bearer(TEST_CREDENTIALS['registry-read']),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('INVALID_SERVICE_CREDENTIAL');
    expect(sut.authorizer.calls).toBe(asked);
  });

  it('refuses /metrics without the scrape credential or with a wrong one', async () => {
    for (const headers of [{}, { authorization: `${SCRAPER.authorization}x` }]) {
      const res = await sut.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
    }
    expect(handlersThatRan(spies)).toEqual([]);
  });

  it('keeps writes from a token without models:write, whatever the spelling', async () => {
    for (const url of ['/v1/models/echo/aliases/stable', '/v1/m%6fdels/echo/aliases/stable']) {
      const res = await sut.app.inject({
        method: 'PUT',
        url,
        headers: bearer(READER_TOKEN),
        payload: { version: '1.0.0+0123456789ab' },
      });
      expect(res.statusCode).toBe(403);
    }
    expect(spies.find((spy) => spy.name === 'AliasController.set')?.calls()).toBe(0);
  });

  // The console keeps its token in memory and sets no cookie: a browser's cookie for this
  // origin, sent on its own (CSRF), must open nothing, and a predict-only token reads nothing.
  it.each([
    '/v1/models/echo/events',
    '/v1/models/echo/traffic',
    '/v1/models/echo/versions/1.0.0+0123456789ab/errors',
    '/v1/m%6fdels/echo/tr%61ffic',
  ])('refuses %s to a cookie alone (401) and to a token without models:read (403)', async (url) => {
    const cookie = await sut.app.inject({
      method: 'GET',
      url,
      headers: { cookie: `token=${WRITER_TOKEN}; authorization=Bearer%20${WRITER_TOKEN}` },
    });
    expect(cookie.statusCode).toBe(401);
    const reader = await sut.app.inject({ method: 'GET', url, headers: bearer(READER_TOKEN) });
    expect(reader.statusCode).toBe(403);
    expect(handlersThatRan(spies)).toEqual([]);
  });

  it('counts a handler that runs, so the probes above can fail', async () => {
    const list = spies.find((spy) => spy.name === 'RegistryController.listModels');
    const res = await sut.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: bearer(WRITER_TOKEN),
    });
    expect(res.statusCode).toBe(200);
    expect(list?.calls()).toBe(1);
  });
});

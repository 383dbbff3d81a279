import {
  handlersThatRan,
  probeProtectedRoutes,
  probeWithForeignCredentials,
  SCRAPER,
  startWithHandlerSpies,
  TEST_CREDENTIALS,
  type HandlerSpy,
} from '@ml-run/server/testing';

import {
  AUTHORIZED,
  startTestValidator,
  type TestValidator,
} from '../testing/start-test-validator';

// An attacker without the introspection credential, with a user's token, or with another
// role's credential (a router's, a scraper's) at the validator: introspection would tell them
// which tokens are live, the event stream which are revoked, /metrics who calls.
describe('token-validator doors', () => {
  let sut: TestValidator;
  let spies: HandlerSpy[];
  let restore: () => void;

  beforeAll(async () => {
    ({
      started: sut,
      spies,
      restore,
    } = await startWithHandlerSpies(
      () => startTestValidator(),
      (validator) => validator.app,
    ));
  });
  afterAll(async () => {
    await sut.app.close();
    restore();
  });

  it('declares its doors for the introspection role, and /metrics for the scrape role', () => {
    const rules = Object.fromEntries(sut.app.routes.map((r) => [`${r.method} ${r.url}`, r.rules]));
    expect(rules['POST /v1/tokens/introspect']).toEqual([
      { kind: 'service', role: 'introspection' },
    ]);
    expect(rules['GET /v1/tokens/events']).toEqual([{ kind: 'service', role: 'introspection' }]);
    expect(rules['GET /metrics']).toEqual([{ kind: 'service', role: 'metrics' }]);
  });

  it('runs no protected handler for any spelling of any door without credentials', async () => {
    const answers = await probeProtectedRoutes(sut.app);
    expect(answers.length).toBeGreaterThan(150);
    expect(answers.filter((a) => a.status >= 200 && a.status < 300)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
  });

  it("opens no door to another role's credential", async () => {
    const answers = await probeWithForeignCredentials(sut.app, TEST_CREDENTIALS);
    expect(answers.map((a) => `${a.role} ${a.method} ${a.url}`)).toEqual(
      expect.arrayContaining([
        'metrics POST /v1/tokens/introspect',
        'route-table GET /v1/tokens/events',
        'introspection GET /metrics',
      ]),
    );
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
  });

  it('refuses a user token in place of the service credential', async () => {
    const res = await sut.app.inject({
      method: 'POST',
      url: '/v1/tokens/intr%6fspect',
      headers: { authorization: 'Bearer mlr_some-user-token' },
      payload: { token: 'x' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('INVALID_SERVICE_CREDENTIAL');
  });

  it('counts a handler that runs, so the probes above can fail', async () => {
    const introspect = spies.find((spy) => spy.name === 'IntrospectionController.introspect');
    const metrics = spies.find((spy) => spy.name === 'MetricsController.metrics');
    const res = await sut.app.inject({
      method: 'POST',
      url: '/v1/tokens/introspect',
      headers: AUTHORIZED,
      payload: { token: 'x' },
    });
    expect(res.statusCode).toBe(200);
    expect(introspect?.calls()).toBe(1);
    const scraped = await sut.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER });
    expect(scraped.statusCode).toBe(200);
    expect(metrics?.calls()).toBe(1);
  });
});

import {
  handlersThatRan,
  probeProtectedRoutes,
  probeWithForeignCredentials,
  SCRAPER,
  startWithHandlerSpies,
  TEST_CREDENTIALS,
  type HandlerSpy,
} from '@ml-run/server/testing';

import { CALLER, SERVICE, startTestRouter, type TestRouter } from '../testing/start-test-router';
import { AsyncPredictionService } from './async-prediction/async-prediction.service';
import { PredictionService } from './prediction/prediction.service';

// An attacker without a bearer header at the router's doors: predict (the replica checks
// the token; the router refuses a call with none before reading its body), asynchronous
// predict and results (the router checks the token itself: a service credential is no
// token), and the
// in-flight counts (routers' route-table credential only), and /metrics (the scrape
// credential only): a wrapper's introspection credential or a scraper's opens neither.
// The predict routes are plain Fastify routes, not Nest handlers: the spy on what they
// call, PredictionService.predict (the forwarding) and AsyncPredictionService's admit and
// read (acceptance and results), stands for their handlers.
describe('router doors', () => {
  let sut: TestRouter;
  let spies: HandlerSpy[];
  let restore: () => void;
  let forwarding: jest.SpyInstance;
  let asyncCalls: jest.SpyInstance[];

  beforeAll(async () => {
    forwarding = jest.spyOn(PredictionService.prototype, 'predict');
    asyncCalls = [
      jest.spyOn(AsyncPredictionService.prototype, 'admit'),
      jest.spyOn(AsyncPredictionService.prototype, 'read'),
    ];
    ({
      started: sut,
      spies,
      restore,
    } = await startWithHandlerSpies(
      () => startTestRouter({ async: true }),
      (router) => router.app,
    ));
  });
  afterAll(async () => {
    await sut.app.close();
    restore();
    forwarding.mockRestore();
    for (const spy of asyncCalls) spy.mockRestore();
  });

  it('declares a rule on every route', () => {
    expect(sut.app.routes.map((r) => `${r.method} ${r.url} ${r.rules[0]?.kind}`)).toEqual(
      expect.arrayContaining([
        'POST /v1/models/:name/predict bearer-present',
        'POST /v1/models/:name/versions/:version/predict bearer-present',
        'POST /v1/models/:name/predict::async token',
        'GET /v1/predictions/:id token',
        'GET /v1/routes/inflight service',
        'GET /healthz public',
      ]),
    );
  });

  it('runs no protected handler for any spelling of any door without credentials', async () => {
    const answers = await probeProtectedRoutes(sut.app, { name: 'iris', version: '1.0.0' });
    expect(answers.length).toBeGreaterThan(300);
    expect(answers.filter((a) => a.status >= 200 && a.status < 300)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
    expect(forwarding).not.toHaveBeenCalled();
    for (const spy of asyncCalls) expect(spy).not.toHaveBeenCalled();
  });

  it('refuses a predict with no bearer header with 401 and a challenge', async () => {
    const res = await sut.app.inject({ method: 'POST', url: '/v1/m%6fdels/iris/predict' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="ml-run"');
    expect(res.json().code).toBe('MISSING_TOKEN');
  });

  it('keeps the in-flight counts from a caller token and gives them to the service credential', async () => {
    const caller = await sut.app.inject({
      method: 'GET',
      url: '/v1/routes/inflight',
      headers: CALLER,
    });
    expect(caller.statusCode).toBe(401);
    const service = await sut.app.inject({
      method: 'GET',
      url: '/v1/routes/inflight',
      headers: SERVICE,
    });
    expect(service.statusCode).toBe(200);
  });

  it("opens no door to another role's credential", async () => {
    const calls = () => [
      ...spies.map((spy) => `${spy.name} ${spy.calls()}`),
      `PredictionService.predict ${forwarding.mock.calls.length}`,
      ...asyncCalls.map((spy) => `AsyncPredictionService ${spy.mock.calls.length}`),
    ];
    const before = calls();
    const answers = await probeWithForeignCredentials(sut.app, TEST_CREDENTIALS);
    expect(answers.map((a) => `${a.role} ${a.method} ${a.url}`)).toEqual(
      expect.arrayContaining([
        'introspection GET /v1/routes/inflight',
        'metrics GET /v1/routes/inflight',
        'registry-read GET /v1/routes/inflight',
        'introspection GET /metrics',
        'route-table GET /metrics',
      ]),
    );
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(calls()).toEqual(before);
  });

  it('serves /metrics to the scrape credential only', async () => {
    const scrape = (headers: Record<string, string>) =>
      sut.app.inject({ method: 'GET', url: '/metrics', headers });
    expect((await scrape({})).statusCode).toBe(401);
    expect((await scrape({ authorization: `${SCRAPER.authorization}x` })).statusCode).toBe(401);
    expect((await scrape(CALLER)).statusCode).toBe(401);
    expect((await scrape(SCRAPER)).statusCode).toBe(200);
  });

  it('counts a handler that runs, so the probes above can fail', async () => {
    const before = forwarding.mock.calls.length;
    const res = await sut.app.inject({
      method: 'POST',
      url: '/v1/models/iris/predict',
      headers: CALLER,
    });
    expect(res.statusCode).toBe(404);
    expect(forwarding.mock.calls.length).toBe(before + 1);
    sut.async?.validator.grant('probe-token', 'predict:iris');
    const accepted = await sut.app.inject({
      method: 'POST',
      url: '/v1/models/iris/predict:async',
      headers: { authorization: 'Bearer probe-token' },
    });
    expect(accepted.statusCode).toBe(404);
    expect(asyncCalls[0]).toHaveBeenCalledTimes(1);
  });
});

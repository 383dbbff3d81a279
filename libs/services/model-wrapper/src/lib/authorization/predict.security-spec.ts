import path from 'node:path';

import { FakeValidator } from '@ml-run/bearer-auth/testing';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import {
  handlersThatRan,
  probeProtectedRoutes,
  probeWithForeignCredentials,
  SCRAPER,
  startWithHandlerSpies,
  TEST_CREDENTIALS,
  TEST_METRICS_TOKEN,
  type HandlerSpy,
} from '@ml-run/server/testing';
import { credentialDigest } from '@ml-run/token-contract';

import { FIXTURES, startTestWrapper } from '../../testing/start-test-wrapper';
import { PredictRoute } from '../prediction/predict.route';

const INTROSPECTION_TOKEN = TEST_CREDENTIALS.introspection;

// An attacker who reaches a replica directly (its URL leaked, or a co-located process),
// without a token: POST /v1/%70redict, /%761/predict and /v1/predic%74 answered 200 when
// the check compared the raw URL string while Fastify's router decoded the path. And a
// caller holding some service's credential: none of them reaches predict or /metrics here.
describe('model-wrapper doors', () => {
  const validator = new FakeValidator(INTROSPECTION_TOKEN);
  let sut: ServiceApp;
  let spies: HandlerSpy[];
  let restore: () => void;
  // POST /v1/predict is a plain Fastify route, not a controller the spies above watch.
  const predictHandler = jest.spyOn(PredictRoute.prototype, 'handle');

  const start = async () => {
    const wrapper = await startTestWrapper(
      path.join(FIXTURES, 'node/slow-init'),
      {
        MLRUN_AUTH_MODE: 'bearer',
        MLRUN_VALIDATOR_URL: await validator.start(),
        MLRUN_INTROSPECTION_TOKEN: INTROSPECTION_TOKEN,
        // What the builder hands a replica: the scrape credential's digest, never itself.
        MLRUN_METRICS_TOKEN: credentialDigest(TEST_METRICS_TOKEN),
      },
      { events: new MemoryEventBus() },
    );
    await wrapper.initialized;
    return wrapper.app;
  };

  beforeAll(async () => {
    ({
      started: sut,
      spies,
      restore,
    } = await startWithHandlerSpies(
      start,
      (app) => app,
      async (app) => {
        await app.close();
        await validator.stop();
      },
    ));
    validator.grant('good', 'predict:slow-init');
    validator.grant('other-model', 'predict:iris');
  });
  afterAll(async () => {
    await sut.close();
    await validator.stop();
    restore();
    predictHandler.mockRestore();
  });

  it.each(['/v1/%70redict', '/%761/predict', '/v1/predic%74', '/V1/predict', '/v1//predict'])(
    'refuses %s without a token, or does not route it',
    async (url) => {
      const res = await sut.inject({ method: 'POST', url, payload: 'hello' });
      expect([401, 404]).toContain(res.statusCode);
    },
  );

  it('runs predict for no spelling of its path without credentials', async () => {
    const answers = await probeProtectedRoutes(sut);
    expect(answers.length).toBeGreaterThan(50);
    expect(answers.filter((a) => a.status >= 200 && a.status < 300)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
    expect(predictHandler).not.toHaveBeenCalled();
  });

  it("refuses an encoded path with another model's token as insufficient_scope", async () => {
    const res = await sut.inject({
      method: 'POST',
      url: '/v1/%70redict',
      payload: 'hello',
      headers: { authorization: 'Bearer other-model' },
    });
    expect(res.statusCode).toBe(403);
  });

  it("opens no door to another role's credential, its own introspection one included", async () => {
    const answers = await probeWithForeignCredentials(sut, TEST_CREDENTIALS);
    expect(answers.map((a) => `${a.role} ${a.method} ${a.url}`)).toEqual(
      expect.arrayContaining([
        'introspection POST /v1/predict',
        'route-table POST /v1/predict',
        'introspection GET /metrics',
        'registry-read GET /metrics',
        'introspection GET /v1/errors',
        'route-table GET /v1/errors',
      ]),
    );
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(handlersThatRan(spies)).toEqual([]);
    expect(predictHandler).not.toHaveBeenCalled();
  });

  it.each(['/metrics', '/v1/errors', '/v1/%65rrors'])(
    'refuses %s without the scrape credential, with its digest presented, or with a predict token',
    async (url) => {
      const scrape = (headers: Record<string, string>) =>
        sut.inject({ method: 'GET', url, headers });
      const handlerCalls = () => spies.map((spy) => spy.calls());
      const before = handlerCalls();
      for (const headers of [
        {} as Record<string, string>,
        { authorization: `Bearer ${credentialDigest(TEST_METRICS_TOKEN)}` },
        { authorization: 'Bearer good' },
      ]) {
        expect((await scrape(headers)).statusCode).toBe(401);
      }
      expect(handlerCalls()).toEqual(before);
      expect(predictHandler).not.toHaveBeenCalled();
      expect((await scrape(SCRAPER)).statusCode).toBe(200);
    },
  );

  it('counts a handler that runs, so the probes above can fail', async () => {
    const res = await sut.inject({
      method: 'POST',
      url: '/v1/%70redict',
      payload: 'hello',
      headers: { authorization: 'Bearer good' },
    });
    expect(res.statusCode).toBe(200);
    expect(predictHandler).toHaveBeenCalledTimes(1);
  });
});

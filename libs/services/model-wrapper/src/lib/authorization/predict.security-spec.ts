import path from 'node:path';

import { FakeValidator } from '@ml-run/bearer-auth/testing';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import {
  handlersThatRan,
  probeProtectedRoutes,
  startWithHandlerSpies,
  type HandlerSpy,
} from '@ml-run/server/testing';

import { FIXTURES, startTestWrapper } from '../../testing/start-test-wrapper';

const SERVICE_TOKEN = 'service-token-for-tests-0123456789abcdef';

// An attacker who reaches a replica directly (its URL leaked, or a co-located process),
// without a token: POST /v1/%70redict, /%761/predict and /v1/predic%74 answered 200 when
// the check compared the raw URL string while Fastify's router decoded the path.
describe('model-wrapper doors', () => {
  const validator = new FakeValidator(SERVICE_TOKEN);
  let sut: ServiceApp;
  let spies: HandlerSpy[];
  let restore: () => void;

  const start = async () => {
    const wrapper = await startTestWrapper(
      path.join(FIXTURES, 'node/slow-init'),
      {
        MLRUN_AUTH_MODE: 'bearer',
        MLRUN_VALIDATOR_URL: await validator.start(),
        MLRUN_SERVICE_TOKEN: SERVICE_TOKEN,
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

  it('counts a handler that runs, so the probes above can fail', async () => {
    const predict = spies.find((spy) => spy.name === 'PredictionController.predict');
    const res = await sut.inject({
      method: 'POST',
      url: '/v1/%70redict',
      payload: 'hello',
      headers: { authorization: 'Bearer good' },
    });
    expect(res.statusCode).toBe(200);
    expect(predict?.calls()).toBe(1);
  });
});

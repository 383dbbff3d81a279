import path from 'node:path';

import { FakeValidator } from '@ml-run/bearer-auth/testing';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { SCRAPER, TEST_CREDENTIALS } from '@ml-run/server/testing';
import { TOKEN_EVENTS_TOPIC, tokenHash } from '@ml-run/token-contract';

import { FIXTURES, startTestWrapper } from '../../testing/start-test-wrapper';
import { PredictAccessEnforcer } from './predict-access.enforcer';

const INTROSPECTION_TOKEN = TEST_CREDENTIALS.introspection;

describe(PredictAccessEnforcer.name, () => {
  const validator = new FakeValidator(INTROSPECTION_TOKEN);
  const events = new MemoryEventBus();
  let validatorUrl: string;
  let sut: ServiceApp;

  const predict = (headers: Record<string, string> = {}, url = '/v1/predict') =>
    sut.inject({ method: 'POST', url, payload: 'hello', headers });
  const metric = async (pattern: RegExp) => {
    const text = (await sut.inject({ method: 'GET', url: '/metrics', headers: SCRAPER })).body;
    return Number(pattern.exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    validatorUrl = await validator.start();
    const wrapper = await startTestWrapper(
      path.join(FIXTURES, 'node/slow-init'),
      {
        MLRUN_AUTH_MODE: 'bearer',
        MLRUN_VALIDATOR_URL: validatorUrl,
        MLRUN_INTROSPECTION_TOKEN: INTROSPECTION_TOKEN,
      },
      { events },
    );
    sut = wrapper.app;
    await wrapper.initialized;
    validator.grant('good', 'predict:slow-init');
    validator.grant('all-models', 'predict:*');
    validator.grant('other-model', 'predict:iris');
  });
  afterAll(async () => {
    await sut.close();
    await validator.stop();
  });

  it('lets a token with the model scope reach predict', async () => {
    const res = await predict({ authorization: 'Bearer good' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('hello');
    expect((await predict({ authorization: 'Bearer all-models' })).statusCode).toBe(200);
  });

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    const res = await predict();
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="ml-run"');
    expect(res.json().code).toBe('MISSING_TOKEN');
  });

  it('answers 401 invalid_token for a token the validator does not know', async () => {
    const res = await predict({ authorization: 'Bearer garbage' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(
      /^Bearer realm="ml-run", error="invalid_token"/,
    );
  });

  it("answers 403 insufficient_scope, naming the scope, for another model's token", async () => {
    const res = await predict({ authorization: 'Bearer other-model' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(res.headers['www-authenticate']).toContain('scope="predict:slow-init"');
  });

  it('answers 400 invalid_request for a malformed header or a token in the URL', async () => {
    expect((await predict({ authorization: 'Bearer a b' })).statusCode).toBe(400);
    const inUrl = await predict({ authorization: 'Bearer good' }, '/v1/predict?access_token=good');
    expect(inUrl.statusCode).toBe(400);
    expect(inUrl.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('makes no validator calls for repeated requests with a warm L1 cache', async () => {
    await predict({ authorization: 'Bearer good' });
    const before = await metric(/mlrun_auth_validator_calls_total\{result="active"[^}]*\} (\d+)/);
    for (let i = 0; i < 20; i++)
      expect((await predict({ authorization: 'Bearer good' })).statusCode).toBe(200);
    expect(await metric(/mlrun_auth_validator_calls_total\{result="active"[^}]*\} (\d+)/)).toBe(
      before,
    );
    expect(
      await metric(/mlrun_auth_l1_lookups_total\{result="hit"[^}]*\} (\d+)/),
    ).toBeGreaterThanOrEqual(20);
  });

  it('refuses a cached token as soon as its revocation event arrives', async () => {
    validator.grant('soon-revoked', 'predict:slow-init');
    expect((await predict({ authorization: 'Bearer soon-revoked' })).statusCode).toBe(200);
    await events.publish(TOKEN_EVENTS_TOPIC, {
      type: 'token.revoked',
      tokenHash: tokenHash('soon-revoked'),
      sub: 'ada',
      revokedAt: new Date().toISOString(),
    });
    expect((await predict({ authorization: 'Bearer soon-revoked' })).statusCode).toBe(401);
  });

  it("refuses every cached token of a user once the user's tokens are revoked", async () => {
    validator.grant('bob-laptop', 'predict:slow-init', 3600, 'bob');
    validator.grant('bob-ci', 'predict:slow-init', 3600, 'bob');
    for (const token of ['bob-laptop', 'bob-ci']) {
      expect((await predict({ authorization: `Bearer ${token}` })).statusCode).toBe(200);
    }
    await events.publish(TOKEN_EVENTS_TOPIC, {
      type: 'user.tokens-revoked',
      sub: 'bob',
      notBefore: new Date().toISOString(),
    });
    for (const token of ['bob-laptop', 'bob-ci']) {
      expect((await predict({ authorization: `Bearer ${token}` })).statusCode).toBe(401);
    }
    expect((await predict({ authorization: 'Bearer good' })).statusCode).toBe(200);
  });

  it('counts predictions by the calling subject', async () => {
    await predict({ authorization: 'Bearer good' });
    expect(
      await metric(/mlrun_predictions_by_caller_total\{sub="ada",status="200"[^}]*\} (\d+)/),
    ).toBeGreaterThan(0);
  });

  it('counts rejections by reason', async () => {
    await predict();
    expect(
      await metric(/mlrun_auth_rejections_total\{reason="missing"[^}]*\} (\d+)/),
    ).toBeGreaterThan(0);
  });

  describe('with the validator down', () => {
    beforeAll(() => validator.stop());
    afterAll(() => validator.start(Number(new URL(validatorUrl).port)));

    it('keeps serving a token already in L1', async () => {
      expect((await predict({ authorization: 'Bearer good' })).statusCode).toBe(200);
    });

    it('answers 503 with Retry-After for a token it has not seen', async () => {
      validator.grant('fresh', 'predict:slow-init');
      const res = await predict({ authorization: 'Bearer fresh' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toEqual({
        code: 'AUTH_UNAVAILABLE',
        message: expect.stringContaining('retry shortly'),
      });
    });
  });
});

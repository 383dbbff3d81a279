// examples/fraud-score-python through the wrapper against the real Ignite, after its loader
// has (re)created CUSTOMER_AGGREGATES. Needs Ignite up and pyignite installed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import type { ServiceApp } from '@ml-run/server';

import { REPO_ROOT, startTestWrapper } from '../../testing/start-test-wrapper';
import { TEST_IGNITE_ENDPOINT } from '../../testing/tcp-proxy';

const FRAUD_SCORE = path.join(REPO_ROOT, 'examples/fraud-score-python');

function predict(app: ServiceApp, body: unknown) {
  return app.inject({
    method: 'POST',
    url: '/v1/predict',
    headers: { 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('examples/fraud-score-python (real Ignite)', () => {
  describe('with MLRUN_MODEL_IGNITE_ENDPOINTS and the table loaded', () => {
    let sut: ServiceApp;

    beforeAll(async () => {
      const loader = spawnSync(
        'python3',
        [path.join(FRAUD_SCORE, 'setup/load_aggregates.py'), '--endpoints', TEST_IGNITE_ENDPOINT],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(loader.stderr).toBe('');
      expect(loader.stdout).toContain('CUSTOMER_AGGREGATES: 500 customers loaded');
      const wrapper = await startTestWrapper(FRAUD_SCORE, {
        MLRUN_MODEL_IGNITE_ENDPOINTS: TEST_IGNITE_ENDPOINT,
        MLRUN_WORKERS: '2',
      });
      sut = wrapper.app;
      await wrapper.initialized;
    });
    afterAll(() => sut.close());

    it('is READY (the self-test went through Ignite)', async () => {
      const res = await sut.inject({ method: 'GET', url: '/readyz' });
      expect(res.json()).toMatchObject({ state: 'READY' });
    });

    it('scores a known customer from the aggregates in Ignite', async () => {
      const res = await predict(sut, { customerId: 'C00001', amount: 87.22 });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.body).toBe(
        '{"customerId":"C00001","known":true,"score":0.0097,"decision":"approve",' +
          '"features":{"amountZ":0.0,"logAmount":4.479834,"chargebackRate":0.0,"logTxnCount":2.639057}}',
      );
    });

    it.each([
      ['C00001', 700, 0.3204, 'review'],
      ['C00491', 58.11, 0.8481, 'decline'],
    ])('scores %s paying %p at %p: %s', async (customerId, amount, score, decision) => {
      const res = await predict(sut, { customerId, amount });
      expect(res.json()).toMatchObject({ customerId, known: true, score, decision });
    });

    it('sends an unknown customer to review', async () => {
      const res = await predict(sut, { customerId: 'nobody', amount: 12.5 });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        customerId: 'nobody',
        known: false,
        score: null,
        decision: 'review',
        reason: 'no history for this customer',
        features: null,
      });
    });

    it('answers 422 saying what to send for a bad body', async () => {
      const res = await predict(sut, { customerId: 'C00001' });
      expect(res.statusCode).toBe(422);
      expect(res.json().message).toContain('"amount" must be a finite number > 0');
    });
  });

  it('never becomes ready without MLRUN_MODEL_IGNITE_ENDPOINTS, and says how to fix it', async () => {
    const { app, initialized } = await startTestWrapper(FRAUD_SCORE);
    await initialized;
    const readyz = await app.inject({ method: 'GET', url: '/readyz' });
    // Checks are off here, so /v1/model shows why init failed (docs/security.md).
    const info = await app.inject({ method: 'GET', url: '/v1/model' });
    await app.close();
    expect(readyz.statusCode).toBe(503);
    expect(info.json()).toMatchObject({
      state: 'INIT_FAILED',
      error: {
        code: 'INIT_FAILED',
        message: expect.stringContaining(
          'ctx.ignite is None: start the model-wrapper with MLRUN_MODEL_IGNITE_ENDPOINTS',
        ),
      },
    });
  });
});

import path from 'node:path';

import type { ServiceApp } from '@ml-run/server';
import { SCRAPER } from '@ml-run/server/testing';

import { FIXTURES, REPO_ROOT, startTestWrapper } from '../../testing/start-test-wrapper';

const IRIS = path.join(REPO_ROOT, 'examples/iris-python');

describe('POST /v1/predict', () => {
  describe('on examples/iris-python', () => {
    let sut: ServiceApp;

    beforeAll(async () => {
      const wrapper = await startTestWrapper(IRIS, {
        MLRUN_WORKERS: '2',
        MLRUN_MAX_BODY_BYTES: '1024',
      });
      sut = wrapper.app;
      await wrapper.initialized;
    });
    afterAll(() => sut.close());

    it.each([
      [[5.1, 3.5, 1.4, 0.2], 'setosa'],
      [[7.0, 3.2, 4.7, 1.4], 'versicolor'],
      [[6.3, 3.3, 6.0, 2.5], 'virginica'],
    ])('classifies %p as %s', async (features, expected) => {
      const res = await sut.inject({
        method: 'POST',
        url: '/v1/predict',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ features }),
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.json().class).toBe(expected);
    });

    it('answers 422 with the model message when predict raises', async () => {
      const res = await sut.inject({
        method: 'POST',
        url: '/v1/predict',
        payload: '{"features":[1]}',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({
        code: 'PREDICT_FAILED',
        message: expect.stringContaining('ValueError'),
      });
    });

    it('refuses a body over MLRUN_MAX_BODY_BYTES with 413', async () => {
      const res = await sut.inject({
        method: 'POST',
        url: '/v1/predict',
        payload: 'x'.repeat(2048),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('passes a text body through unparsed', async () => {
      const res = await sut.inject({
        method: 'POST',
        url: '/v1/predict',
        headers: { 'content-type': 'text/plain' },
        payload: 'not json',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().message).toContain('send JSON');
    });

    it('lists POST /v1/predict in the OpenAPI document, with its bearer rule', async () => {
      const res = await sut.inject({ method: 'GET', url: '/docs/json' });
      expect(res.json().paths['/v1/predict'].post).toMatchObject({
        tags: ['prediction'],
        security: [{ bearer: [] }],
        responses: { 200: expect.anything(), 422: expect.anything(), 429: expect.anything() },
      });
    });

    it('describes the model it serves', async () => {
      const res = await sut.inject({ method: 'GET', url: '/v1/model' });
      expect(res.json()).toMatchObject({
        name: 'iris',
        version: expect.stringMatching(/^1\.0\.0\+[0-9a-f]{12}$/),
        runtime: 'python',
        state: 'READY',
        initDurationMs: expect.any(Number),
        workers: { workers: 2, busyWorkers: 0, restarts: 0 },
      });
    });

    it('counts predictions by status in /metrics', async () => {
      const res = await sut.inject({ method: 'GET', url: '/metrics', headers: SCRAPER });
      expect(res.body).toMatch(
        /mlrun_predictions_total\{model="iris",version="[^"]+",status="200",service="model-wrapper"\} [1-9]/,
      );
      expect(res.body).toMatch(/mlrun_predictions_total\{[^}]*status="422"[^}]*\} [1-9]/);
      expect(res.body).toContain('mlrun_prediction_duration_seconds_bucket');
      expect(res.body).toMatch(/mlrun_model_init_duration_seconds\{[^}]*\} \d/);
      expect(res.body).toMatch(/mlrun_runtime_workers\{[^}]*\} 2/);
    });
  });

  describe('limits', () => {
    let sut: ServiceApp;

    beforeAll(async () => {
      const wrapper = await startTestWrapper(path.join(FIXTURES, 'node/slow-init'), {
        MLRUN_MAX_INFLIGHT: '2',
      });
      sut = wrapper.app;
      await wrapper.initialized;
    });
    afterAll(() => sut.close());

    it('answers 429 with Retry-After beyond MLRUN_MAX_INFLIGHT, and serves again after', async () => {
      const predict = (payload: string) =>
        sut.inject({ method: 'POST', url: '/v1/predict', payload });
      const results = await Promise.all([
        predict('sleep:300'),
        predict('sleep:300'),
        predict('sleep:300'),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 429]);
      const refused = results.find((r) => r.statusCode === 429);
      expect(refused?.headers['retry-after']).toBe('1');
      expect(refused?.json().code).toBe('TOO_MANY_IN_FLIGHT');
      expect((await predict('again')).statusCode).toBe(200);
    });

    it('answers 422 when a node predict throws, naming the error', async () => {
      const res = await sut.inject({ method: 'POST', url: '/v1/predict', payload: 'throw' });
      expect(res.statusCode).toBe(422);
      expect(res.json().message).toBe('RangeError: input out of range');
    });

    it('answers 422 when predict returns something other than a string', async () => {
      const res = await sut.inject({ method: 'POST', url: '/v1/predict', payload: 'number' });
      expect(res.statusCode).toBe(422);
      expect(res.json().message).toContain('must return a string, got number');
    });

    it('passes an empty body as an empty string', async () => {
      const res = await sut.inject({ method: 'POST', url: '/v1/predict' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('');
    });
  });
});

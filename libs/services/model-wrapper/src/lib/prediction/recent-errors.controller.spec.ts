import path from 'node:path';

import type { RecentError } from '@ml-run/registry-contract';
import type { ServiceApp } from '@ml-run/server';
import { SCRAPER } from '@ml-run/server/testing';

import { FIXTURES, startTestWrapper } from '../../testing/start-test-wrapper';
import { RECENT_ERRORS_KEPT } from './recent-errors';
import { RecentErrorsController } from './recent-errors.controller';

describe(RecentErrorsController.name, () => {
  let sut: ServiceApp;

  beforeAll(async () => {
    const wrapper = await startTestWrapper(path.join(FIXTURES, 'node/slow-init'), {
      MLRUN_MAX_INFLIGHT: '1',
    });
    sut = wrapper.app;
    await wrapper.initialized;
  });
  afterAll(() => sut.close());

  const predict = (payload: string, requestId: string) =>
    sut.inject({
      method: 'POST',
      url: '/v1/predict',
      payload,
      headers: { 'x-request-id': requestId },
    });
  const recent = async (): Promise<RecentError[]> => {
    const res = await sut.inject({ method: 'GET', url: '/v1/errors', headers: SCRAPER });
    expect(res.statusCode).toBe(200);
    return res.json().errors;
  };

  it('keeps a failed prediction, newest first, with its status, code, message and request id, never its body', async () => {
    await predict('throw', 'first-failure');
    await predict('fine', 'a-success');
    await predict('number', 'second-failure');

    const errors = await recent();

    expect(errors.slice(0, 2)).toEqual([
      {
        at: expect.any(String),
        source: 'prediction',
        status: 422,
        code: 'PREDICT_FAILED',
        message: expect.stringContaining('must return a string'),
        requestId: 'second-failure',
      },
      {
        at: expect.any(String),
        source: 'prediction',
        status: 422,
        code: 'PREDICT_FAILED',
        message: 'RangeError: input out of range',
        requestId: 'first-failure',
      },
    ]);
    expect(JSON.stringify(errors)).not.toContain('a-success');
  });

  it('leaves out a refusal that is the caller’s, not the model’s (429)', async () => {
    const results = await Promise.all([
      predict('sleep:300', 'slow'),
      predict('sleep:300', 'refused'),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 429]);

    expect((await recent()).map((e) => e.requestId)).not.toContain('refused');
  });

  it('is in the OpenAPI document', async () => {
    const { paths } = (await sut.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(paths['/v1/errors']?.get?.summary).toContain('failed predictions');
  });

  it(`remembers the last ${RECENT_ERRORS_KEPT} only`, async () => {
    for (let i = 0; i < RECENT_ERRORS_KEPT + 5; i++) await predict('throw', `burst-${i}`);

    const errors = await recent();

    expect(errors).toHaveLength(RECENT_ERRORS_KEPT);
    expect(errors[0]?.requestId).toBe(`burst-${RECENT_ERRORS_KEPT + 4}`);
    expect(errors.at(-1)?.requestId).toBe('burst-5');
  });
});

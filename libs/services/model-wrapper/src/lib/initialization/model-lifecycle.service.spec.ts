import path from 'node:path';

import type { ServiceApp } from '@ml-run/server';

import { FIXTURES, startTestWrapper } from '../../testing/start-test-wrapper';
import { ModelLifecycle } from './model-lifecycle.service';

async function failedInit(fixture: string) {
  const { app, initialized } = await startTestWrapper(path.join(FIXTURES, fixture));
  await initialized;
  const readyz = await app.inject({ method: 'GET', url: '/readyz' });
  const predict = await app.inject({ method: 'POST', url: '/v1/predict', payload: 'x' });
  const info = await app.inject({ method: 'GET', url: '/v1/model' });
  await app.close();
  return { readyz, predict, info };
}

describe(ModelLifecycle.name, () => {
  describe('while init runs', () => {
    let sut: ServiceApp;
    let initialized: Promise<void>;

    beforeAll(async () => {
      ({ app: sut, initialized } = await startTestWrapper(path.join(FIXTURES, 'node/slow-init')));
    });
    afterAll(() => sut.close());

    it('answers /healthz 200 and /readyz 503 until READY, then 200', async () => {
      expect((await sut.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const starting = await sut.inject({ method: 'GET', url: '/readyz' });
      expect(starting.statusCode).toBe(503);
      expect(starting.json()).toMatchObject({ state: 'STARTING', model: 'slow-init' });
      const early = await sut.inject({ method: 'POST', url: '/v1/predict', payload: 'x' });
      expect(early.statusCode).toBe(503);
      expect(early.headers['retry-after']).toBe('1');
      expect(early.json().code).toBe('MODEL_NOT_READY');
      await initialized;
      const ready = await sut.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: 'ready', state: 'READY' });
    });
  });

  it.each([
    ['node/init-throws', 'INIT_FAILED', 'Error: coefficients/weights.json not found'],
    ['node/init-hangs', 'INIT_TIMEOUT', 'init did not finish within 1 s'],
    [
      'node/selftest-mismatch',
      'INIT_FAILED',
      'self-test output differs from selfTest.expectOutput: expected "b", got "A"',
    ],
    ['python/init-raises', 'INIT_FAILED', 'ValueError: bad coefficients'],
    // No MLRUN_MODEL_IGNITE_ENDPOINTS: the model sees ctx.ignite null and refuses to start.
    ['node/ignite-kv', 'INIT_FAILED', 'Error: ignite-kv needs Ignite, but ctx.ignite is null'],
    ['python/init-hangs', 'INIT_TIMEOUT', 'init did not finish within'],
  ])('never becomes ready when %s, and says why', async (fixture, code, reason) => {
    const { readyz, predict, info } = await failedInit(fixture);
    expect(readyz.statusCode).toBe(503);
    expect(readyz.json()).toMatchObject({ state: 'INIT_FAILED' });
    expect(readyz.json().error).toBeUndefined();
    expect(predict.statusCode).toBe(503);
    expect(predict.json()).toEqual({
      code: 'MODEL_INIT_FAILED',
      message: expect.stringContaining(reason),
    });
    // Checks are off in these wrappers, so every caller may read the reason.
    expect(info.json()).toMatchObject({
      state: 'INIT_FAILED',
      error: { code, message: expect.stringContaining(reason) },
      workers: { workers: 0 },
    });
  });

  it('refuses to start on a directory without a manifest', async () => {
    await expect(startTestWrapper(FIXTURES)).rejects.toMatchObject({ code: 'MANIFEST_MISSING' });
  });

  it('refuses to start when MLRUN_MODEL_NAME names another model', async () => {
    await expect(
      startTestWrapper(path.join(FIXTURES, 'node/slow-init'), { MLRUN_MODEL_NAME: 'iris' }),
    ).rejects.toThrow('MLRUN_MODEL_NAME is "iris" but');
  });
});

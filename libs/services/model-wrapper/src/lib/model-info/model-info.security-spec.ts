import path from 'node:path';

import { FakeValidator } from '@ml-run/bearer-auth/testing';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';

import { FIXTURES, startTestWrapper } from '../../testing/start-test-wrapper';

const INTROSPECTION_TOKEN = 'service-token-for-tests-0123456789abcdef';
// What the fixture's init throws: a path inside the model, as real init errors often hold.
const REASON = 'coefficients/weights.json not found';

// An attacker who reaches a replica whose init failed, directly: the model's own error text
// (paths, hosts, data, a stack) answered on GET /v1/model and /readyz to anyone.
describe('a failed replica’s init error', () => {
  const validator = new FakeValidator(INTROSPECTION_TOKEN);
  let sut: ServiceApp;

  beforeAll(async () => {
    const wrapper = await startTestWrapper(
      path.join(FIXTURES, 'node/init-throws'),
      {
        MLRUN_AUTH_MODE: 'bearer',
        MLRUN_VALIDATOR_URL: await validator.start(),
        MLRUN_INTROSPECTION_TOKEN: INTROSPECTION_TOKEN,
      },
      { events: new MemoryEventBus() },
    );
    sut = wrapper.app;
    await wrapper.initialized;
    validator.grant('caller', 'predict:init-throws');
    validator.grant('admin', 'admin');
    validator.grant('other-model', 'predict:iris');
  });
  afterAll(async () => {
    await sut?.close();
    await validator.stop();
  });

  const info = (authorization?: string) =>
    sut.inject({
      method: 'GET',
      url: '/v1/model',
      headers: authorization ? { authorization } : {},
    });

  it.each([
    ['no token', undefined],
    ['an unknown token', 'Bearer guessed'],
    ["another model's token", 'Bearer other-model'],
    ['a malformed header', 'Bearer a b'],
  ])('shows the state but not the error to a caller with %s', async (_who, authorization) => {
    const res = await info(authorization);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'init-throws', state: 'INIT_FAILED' });
    expect(res.json().error).toBeUndefined();
    expect(res.body).not.toContain(REASON);
  });

  it('keeps the error out of /readyz, which stays public', async () => {
    const res = await sut.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'not ready',
      state: 'INIT_FAILED',
      model: 'init-throws',
      version: expect.any(String),
    });
    expect(res.body).not.toContain(REASON);
  });

  it.each([
    ['predict on this model', 'Bearer caller'],
    ['admin', 'Bearer admin'],
  ])('shows the error to a token with %s', async (_who, authorization) => {
    const res = await info(authorization);
    expect(res.json()).toMatchObject({
      state: 'INIT_FAILED',
      error: { code: 'INIT_FAILED', message: expect.stringContaining(REASON) },
    });
  });
});

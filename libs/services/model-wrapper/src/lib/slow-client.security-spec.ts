import path from 'node:path';

import type { ServiceApp } from '@ml-run/server';
import { sendBodySlowly } from '@ml-run/server/testing';

import { FIXTURES, startTestWrapper } from '../testing/start-test-wrapper';

// A slow client holding a replica's connection (and a predict's place) by sending its body a
// byte at a time.
describe('model-wrapper and a slow client', () => {
  let sut: ServiceApp;
  let url: string;

  beforeAll(async () => {
    const wrapper = await startTestWrapper(path.join(FIXTURES, 'node/slow-init'), {
      MLRUN_REQUEST_TIMEOUT_MS: '400',
    });
    sut = wrapper.app;
    await wrapper.initialized;
    url = await sut.listen();
  });
  afterAll(() => sut.close());

  it('answers 408 and closes the connection of a predict sent a byte at a time', async () => {
    const answer = await sendBodySlowly(url, {
      path: '/v1/predict',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});

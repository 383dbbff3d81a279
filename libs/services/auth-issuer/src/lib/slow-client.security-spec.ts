import { sendBodySlowly } from '@ml-run/server/testing';

import { startTestIssuer, type TestIssuer } from '../testing/start-test-issuer';

// A slow client holding a login connection open by sending its body a byte at a time.
describe('auth-issuer and a slow client', () => {
  let sut: TestIssuer;
  let url: string;

  beforeAll(async () => {
    sut = await startTestIssuer({ MLRUN_REQUEST_TIMEOUT_MS: '400', MLRUN_LOG_LEVEL: 'silent' });
    url = await sut.app.listen();
  });
  afterAll(() => sut.close());

  it('answers 408 and closes the connection of a login sent a byte at a time', async () => {
    const answer = await sendBodySlowly(url, {
      path: '/v1/auth/token',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});

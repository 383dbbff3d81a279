import { sendBodySlowly } from '@ml-run/server/testing';

import { bearer, WRITER_TOKEN } from '../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../testing/start-test-builder';

// A slow client holding the builder's connections by sending an upload, or a deployment's
// JSON, a byte at a time (the builder's request timeout is long, for real uploads: 600 s).
describe('builder and a slow client', () => {
  let sut: TestBuilder;
  let url: string;

  beforeAll(async () => {
    sut = await startTestBuilder({ settings: { MLRUN_REQUEST_TIMEOUT_MS: '400' } });
    url = await sut.app.listen();
  });
  afterAll(() => sut.close());

  it.each([
    ['an upload', '/v1/models', 'application/zip'],
    ['a deployment', '/v1/models/echo/versions/1.0.0/deployment', 'application/json'],
  ])(
    'answers 408 and closes the connection of %s sent a byte at a time',
    async (_what, path, type) => {
      const answer = await sendBodySlowly(url, {
        path,
        headers: { Authorization: bearer(WRITER_TOKEN).authorization, 'Content-Type': type },
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    },
  );
});

import { sendBodySlowly } from '@ml-run/server/testing';

import {
  AUTHORIZED,
  startTestValidator,
  type TestValidator,
} from '../testing/start-test-validator';

// A slow client (a holder of the service credential gone wrong) holding an introspection
// connection open by sending its body a byte at a time.
describe('token-validator and a slow client', () => {
  let sut: TestValidator;
  let url: string;

  beforeAll(async () => {
    sut = await startTestValidator({ settings: { MLRUN_REQUEST_TIMEOUT_MS: '400' } });
    url = await sut.app.listen();
  });
  afterAll(() => sut.close());

  it('answers 408 and closes the connection of an introspection sent a byte at a time', async () => {
    const answer = await sendBodySlowly(url, {
      path: '/v1/tokens/introspect',
      headers: { Authorization: AUTHORIZED.authorization, 'Content-Type': 'application/json' },
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});

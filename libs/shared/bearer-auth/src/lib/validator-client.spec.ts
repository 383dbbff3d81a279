import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { FakeValidator } from '../testing/fake-validator';
import { ValidatorClient, ValidatorUnavailableError } from './validator-client';

const INTROSPECTION_TOKEN = 'introspection-credential-for-tests-0123456789abcdef';

describe(ValidatorClient.name, () => {
  const validator = new FakeValidator(INTROSPECTION_TOKEN);
  let url: string;

  beforeAll(async () => {
    url = await validator.start();
    validator.grant('t1', 'predict:iris');
  });
  afterAll(() => validator.stop());

  it('returns the introspection answer', async () => {
    const sut = new ValidatorClient({ url, credential: INTROSPECTION_TOKEN, timeoutMs: 1000 });
    await expect(sut.introspect('t1')).resolves.toMatchObject({
      active: true,
      sub: 'ada',
      scope: 'predict:iris',
    });
    await expect(sut.introspect('unknown')).resolves.toEqual({ active: false });
    sut.close();
  });

  it('reports a refused service credential as unavailable, saying what to check', async () => {
    const sut = new ValidatorClient({ url, credential: 'wrong', timeoutMs: 1000 });
    await expect(sut.introspect('t1')).rejects.toThrow(
      'answered 401 (check MLRUN_INTROSPECTION_TOKEN)',
    );
    sut.close();
  });

  it('reports a validator that is not listening as unavailable', async () => {
    const sut = new ValidatorClient({
      url: 'http://127.0.0.1:1',
      credential: INTROSPECTION_TOKEN,
      timeoutMs: 1000,
    });
    await expect(sut.introspect('t1')).rejects.toBeInstanceOf(ValidatorUnavailableError);
    sut.close();
  });

  it('reports an answer cut off mid-body as unavailable, so cached tokens keep working', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"active":');
      setTimeout(() => response.destroy(), 10);
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const sut = new ValidatorClient({
      url: `http://127.0.0.1:${port}`,
      credential: INTROSPECTION_TOKEN,
      timeoutMs: 1000,
    });
    await expect(sut.introspect('t1')).rejects.toBeInstanceOf(ValidatorUnavailableError);
    sut.close();
    server.close();
  });
});

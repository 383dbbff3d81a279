import { startFakeServer, type FakeServer } from '../testing/fake-server';
import { ApiError } from './api.errors';
import { send, sendJson } from './service-endpoint';

describe(send.name, () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer({
      'GET /ok': () => ({ json: { hello: 'world' } }),
      'GET /missing': () => ({
        status: 404,
        json: { code: 'MODEL_NOT_FOUND', message: 'no model iris' },
      }),
      'GET /unauthorized': () => ({
        status: 401,
        json: { code: 'INVALID_TOKEN', message: 'the token expired' },
      }),
      'GET /html': () => ({ status: 502, text: '<html>bad gateway</html>' }),
      'GET /bug': () => ({ status: 500, json: { message: 'internal error', requestId: 'req-1' } }),
    });
  });
  afterAll(() => server.close());
  const builder = () => ({ label: 'builder', baseUrl: server.url, token: 'mlr_abc' });

  it('sends the bearer token and parses JSON', async () => {
    expect(await sendJson(builder(), 'GET', '/ok')).toEqual({ hello: 'world' });
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer mlr_abc');
  });

  it('turns {code, message} into "error CODE: message"', async () => {
    const sut = send(builder(), '/missing');
    await expect(sut).rejects.toBeInstanceOf(ApiError);
    await expect(send(builder(), '/missing')).rejects.toThrow(
      'error MODEL_NOT_FOUND: no model iris',
    );
  });

  it('adds the login hint to a 401', async () => {
    await expect(send(builder(), '/unauthorized')).rejects.toThrow(
      'error INVALID_TOKEN: the token expired (run ml-run login -u <user>)',
    );
  });

  it('names the HTTP status when the body is not an error object', async () => {
    await expect(send(builder(), '/html')).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_502',
      message: 'error HTTP_502: <html>bad gateway</html>',
    });
  });

  it('quotes the request id of a 500', async () => {
    await expect(send(builder(), '/bug')).rejects.toThrow(
      'error HTTP_500: internal error (request id req-1)',
    );
  });

  it('says to start ML-RUN when the connection is refused', async () => {
    const closed = await startFakeServer({});
    await closed.close();
    await expect(send({ label: 'builder', baseUrl: closed.url }, '/v1/models')).rejects.toThrow(
      `cannot reach the builder at ${closed.url}: is ML-RUN running? (npm start)`,
    );
  });
});

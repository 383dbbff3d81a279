import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { aliasOf, routesOf } from '../../testing/start-test-router';
import { builderRouteSnapshot, parseRouteTable } from './builder-route-snapshot';

const TABLE = routesOf({
  iris: {
    versions: { '1.0.0': ['http://127.0.0.1:9001'] },
    aliases: { stable: aliasOf(['1.0.0', 100]) },
  },
});

describe(builderRouteSnapshot.name, () => {
  let server: Server;
  let url: string;
  let answer: { status: number; body: string };
  const paths: string[] = [];
  const credentials: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      paths.push(request.url ?? '');
      credentials.push(request.headers.authorization);
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('reads the table from GET /v1/routes', async () => {
    answer = { status: 200, body: JSON.stringify(TABLE) };
    const sut = builderRouteSnapshot(`${url}/`);
    await expect(sut(new AbortController().signal)).resolves.toEqual(TABLE);
    expect(paths.at(-1)).toBe('/v1/routes');
    expect(credentials.at(-1)).toBeUndefined();
  });

  it('presents the service credential when it has one', async () => {
    answer = { status: 200, body: JSON.stringify(TABLE) };
    await builderRouteSnapshot(url, 'service-secret')(new AbortController().signal);
    expect(credentials.at(-1)).toBe('Bearer service-secret');
  });

  it('rejects an answer other than 200, quoting it', async () => {
    answer = { status: 503, body: '{"code":"STARTING"}' };
    const sut = builderRouteSnapshot(url);
    await expect(sut(new AbortController().signal)).rejects.toThrow(
      'builder answered 503 to GET /v1/routes: {"code":"STARTING"}',
    );
  });

  it('rejects when the builder is not listening', async () => {
    const sut = builderRouteSnapshot('http://127.0.0.1:1');
    await expect(sut(new AbortController().signal)).rejects.toThrow(
      /GET http:\/\/127\.0\.0\.1:1\/v1\/routes failed: .*ECONNREFUSED/,
    );
  });
});

describe(parseRouteTable.name, () => {
  it.each([
    ['not json', 'something other than JSON'],
    ['{}', '"models" must be an object'],
    [
      '{"models":{"iris":{"versions":{}}}}',
      'models.iris must have "versions" and "aliases" objects',
    ],
    [
      '{"models":{"iris":{"versions":{"1":[1]},"aliases":{}}}}',
      'models.iris.versions.1 must be a list of URLs',
    ],
    [
      '{"models":{"iris":{"versions":{},"aliases":{"stable":{"versions":[{"version":"1"}]}}}}}',
      'models.iris.aliases.stable must have a "versions" list of {version, weight}',
    ],
  ])('refuses %s', (text, problem) => {
    expect(() => parseRouteTable(text)).toThrow(problem);
  });
});

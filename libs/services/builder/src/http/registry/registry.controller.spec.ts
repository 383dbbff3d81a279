import { createHash } from 'node:crypto';

import { EXAMPLES, exampleZip } from '@ml-run/builder-image-build/testing';
import { RegistryController } from '@ml-run/builder-registry';

import { read, uploadBuilt, versionUrl, write } from '../../testing/builder-requests';
import { bearer } from '../../testing/fake-authorizer';
import {
  startTestBuilder,
  TEST_REGISTRY_READ_TOKEN,
  TEST_ROUTE_TABLE_TOKEN,
  type TestBuilder,
} from '../../testing/start-test-builder';

describe(RegistryController.name, () => {
  let sut: TestBuilder;
  let zip: Buffer;
  let echo: string;
  let iris: string;

  beforeAll(async () => {
    sut = await startTestBuilder();
    zip = await exampleZip(EXAMPLES.echo);
    echo = (await uploadBuilt(sut, zip)).version;
    iris = (await uploadBuilt(sut, await exampleZip(EXAMPLES.iris))).version;
  });
  afterAll(() => sut.close());

  it('lists every model', async () => {
    const res = await read(sut, '/v1/models');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      models: [
        { name: 'echo', latestVersion: echo, versions: 1, aliases: [], deployed: [] },
        { name: 'iris', latestVersion: iris, versions: 1, aliases: [], deployed: [] },
      ],
    });
  });

  it("answers a model's versions, aliases and deployments", async () => {
    const res = await read(sut, '/v1/models/iris');
    expect(res.json()).toEqual({
      name: 'iris',
      owners: {
        users: ['ada'],
        groups: [],
        assignedBy: 'creation',
        assignedAt: expect.any(String),
      },
      versions: [
        expect.objectContaining({
          version: iris,
          codeVersion: '1.0.0',
          coefficientsVersion: '2026-11-28',
          runtime: 'python',
          defaultReplicas: 2,
          state: 'built',
        }),
      ],
      aliases: {},
      deployments: [],
    });
  });

  it('answers one version', async () => {
    const res = await read(sut, versionUrl('echo', echo));
    expect(res.json()).toMatchObject({
      name: 'echo',
      version: echo,
      bundleSha256: createHash('sha256').update(zip).digest('hex'),
      bundleBytes: zip.length,
      uploadedBy: 'ada',
    });
  });

  it('streams the stored bundle, byte for byte', async () => {
    const res = await read(sut, `${versionUrl('echo', echo)}/bundle`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="echo-${echo}.zip"`);
    expect(res.rawPayload.equals(zip)).toBe(true);
  });

  it.each([
    ['/v1/models/nope', 'MODEL_NOT_FOUND', 'models: echo, iris'],
    ['/v1/models/..%2Fetc', 'MODEL_NOT_FOUND', 'models: echo, iris'],
    ['/v1/models/echo/versions/2.0.0+000000000000', 'VERSION_NOT_FOUND', 'versions: '],
    ['/v1/models/echo/versions/x/bundle', 'VERSION_NOT_FOUND', 'versions: '],
    ['/v1/builds/b-nope', 'BUILD_NOT_FOUND', 'buildId'],
  ])('answers %s with 404 %s naming what exists', async (url, code, hint) => {
    const res = await read(sut, url);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code, message: expect.stringContaining(hint) });
  });

  it('answers the route table from READY replicas and aliases', async () => {
    await write(sut, 'POST', `${versionUrl('echo', echo)}/deployment`, { replicas: 2 });
    sut.deployer.crash('echo', echo, 1);
    const res = await sut.app.inject({
      method: 'GET',
      url: '/v1/routes',
      headers: bearer(TEST_ROUTE_TABLE_TOKEN),
    });
    expect(res.json()).toEqual({
      models: {
        echo: {
          versions: { [echo]: [sut.deployer.get('echo', echo)?.replicaStatus[0]?.url] },
          aliases: { stable: { versions: [{ version: echo, weight: 100 }] } },
        },
      },
    });
  });

  it('keeps the route table, with replica URLs, from a token without admin', async () => {
    const res = await read(sut, '/v1/routes');
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('admin');
  });

  it('needs a valid token to read', async () => {
    const res = await sut.app.inject({ method: 'GET', url: '/v1/models' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
  });

  it('documents every endpoint', async () => {
    const { paths } = (await sut.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/models',
        '/v1/models/{name}',
        '/v1/models/{name}/versions/{version}',
        '/v1/models/{name}/versions/{version}/bundle',
        '/v1/models/{name}/versions/{version}/deployment',
        '/v1/models/{name}/aliases/{alias}',
        '/v1/builds/{id}',
        '/v1/builds/{id}/events',
        '/v1/routes',
      ]),
    );
  });

  it('lets routers read the route table with the route-table credential, and nothing else', async () => {
    const asService = (url: string, token = TEST_ROUTE_TABLE_TOKEN) =>
      sut.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const routes = await asService('/v1/routes');
    expect(routes.statusCode).toBe(200);
    expect(routes.json()).toHaveProperty('models');
    expect((await asService('/v1/models')).statusCode).toBe(401);
    expect((await asService('/v1/routes', `${TEST_ROUTE_TABLE_TOKEN}x`)).statusCode).toBe(401);
  });

  it('lets the console read models and versions with the registry-read credential, and nothing else', async () => {
    const asConsole = (url: string) =>
      sut.app.inject({ method: 'GET', url, headers: bearer(TEST_REGISTRY_READ_TOKEN) });
    const models = (await asConsole('/v1/models')).json().models as { name: string }[];
    expect(models.map((model) => model.name)).toContain('echo');
    expect((await asConsole('/v1/models/echo')).statusCode).toBe(200);
    expect((await asConsole(versionUrl('echo', echo))).statusCode).toBe(200);
    for (const url of ['/v1/routes', `${versionUrl('echo', echo)}/bundle`]) {
      expect((await asConsole(url)).statusCode).toBe(401);
    }
  });
});

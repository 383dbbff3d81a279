import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { EXAMPLES, exampleZip } from '@ml-run/builder-image-build/testing';
import { startWithHandlerSpies, type HandlerSpy } from '@ml-run/server/testing';

import { versionUrl } from '../../testing/builder-requests';
import { ADMIN_TOKEN, bearer, READER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

// ada created echo (naming her group data-team) and deployed it. Other callers try what
// their tokens should not allow: a second publisher (models:write:*, not an owner), a
// predict-only caller, a reader of iris only. A spy on every handler shows whether one ran.
const ADA = 'ada-token';
const MALLORY = 'mallory-token';
const CAROL = 'carol-token';
const IVY = 'ivy-token';
const ECHO_WRITER = 'echo-writer-token';

const MANIFEST = (name: string) =>
  [
    `name: ${name}`,
    'runtime: node',
    'entry: model.js',
    'codeVersion: 1.0.0',
    'coefficients:',
    '  path: coefficients/',
    'replicas: 1',
    'initTimeoutSeconds: 10',
  ].join('\n');

const retrained = (prefix: string) => ({
  'coefficients/settings.json': `{ "prefix": "${prefix}" }`,
});

describe('model owners and per-model scopes', () => {
  let sut: TestBuilder;
  let spies: HandlerSpy[];
  let restore: () => void;
  let v1: string;
  let v2: string;
  let buildId: string;

  const as = (
    token: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) => sut.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const upload = async (token: string, zip: Buffer, query = '') =>
    sut.app.inject({
      method: 'POST',
      url: `/v1/models${query}`,
      headers: { ...bearer(token), 'content-type': 'application/zip' },
      payload: zip,
    });
  const calls = (name: string) => spies.find((spy) => spy.name === name)?.calls();
  const model = async (name: string) => (await as(ADMIN_TOKEN, 'GET', `/v1/models/${name}`)).json();
  const bundles = () => readdir(path.join(sut.dataDir, 'bundles')).catch(() => []);

  beforeAll(async () => {
    ({
      started: sut,
      spies,
      restore,
    } = await startWithHandlerSpies(
      () => startTestBuilder(),
      (builder) => builder.app,
      (builder) => builder.close(),
    ));
    const grants = sut.authorizer.tokens;
    grants.set(ADA, { sub: 'ada', scopes: ['models:write:*'], groups: ['data-team'] });
    grants.set(MALLORY, {
      sub: 'mallory',
      scopes: ['models:write:*', 'predict:*'],
      groups: ['publishers'],
    });
    grants.set(CAROL, { sub: 'carol', scopes: ['models:write:echo'], groups: ['data-team'] });
    grants.set(IVY, { sub: 'ivy', scopes: ['models:read:iris'] });
    grants.set(ECHO_WRITER, { sub: 'eve', scopes: ['models:write:iris'], groups: ['data-team'] });

    const created = await upload(ADA, await exampleZip(EXAMPLES.echo), '?ownerGroups=data-team');
    expect(created.statusCode).toBe(201);
    await sut.buildsIdle();
    v1 = created.json().version;
    buildId = created.json().buildId;
    const second = await upload(ADA, await exampleZip(EXAMPLES.echo, retrained('two: ')));
    expect(second.statusCode).toBe(201);
    v2 = second.json().version;
    await sut.buildsIdle();
    expect((await as(ADA, 'POST', `${versionUrl('echo', v1)}/deployment`)).statusCode).toBe(200);
    for (const name of ['iris', 'iris2']) {
      const zip = await exampleZip(EXAMPLES.echo, { 'ml-run.yaml': MANIFEST(name) });
      expect((await upload(ADMIN_TOKEN, zip)).statusCode).toBe(201);
    }
    await sut.buildsIdle();
  });
  afterAll(async () => {
    await sut.close();
    restore();
  });

  describe('a second publisher (models:write:*, not an owner)', () => {
    it("cannot upload a version of another owner's model: nothing is kept", async () => {
      const before = {
        model: await model('echo'),
        bundles: await bundles(),
        events: sut.events.length,
      };
      const res = await upload(MALLORY, await exampleZip(EXAMPLES.echo, retrained('three: ')));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'NOT_MODEL_OWNER', details: { model: 'echo' } });
      expect(await model('echo')).toEqual(before.model);
      expect(await bundles()).toEqual(before.bundles);
      expect(sut.events).toHaveLength(before.events);
      expect(await readdir(path.join(sut.dataDir, 'uploads'))).toEqual([]);
    });

    it('cannot deploy, undeploy or move the alias of it, whatever the spelling; no handler runs', async () => {
      const before = {
        model: await model('echo'),
        deployed: sut.deployer.list().length,
        deploys: calls('DeploymentController.deploy'),
        undeploys: calls('DeploymentController.undeploy'),
        aliases: calls('AliasController.set'),
      };
      const attempts = [
        ['POST', `${versionUrl('echo', v2)}/deployment`],
        ['POST', `${versionUrl('%65cho', v2)}/deployment`],
        ['DELETE', `${versionUrl('echo', v1)}/deployment?force=true`],
        ['PUT', '/v1/models/echo/aliases/stable'],
        ['PUT', '/v1/models/%65%63ho/aliases/stable'],
        ['PUT', '/v1/models/echo/aliases/canary'],
      ] as const;
      for (const [method, url] of attempts) {
        const res = await as(MALLORY, method, url, method === 'PUT' ? { version: v2 } : undefined);
        expect({ url, status: res.statusCode, code: res.json().code }).toEqual({
          url,
          status: 403,
          code: 'NOT_MODEL_OWNER',
        });
      }
      expect(calls('DeploymentController.deploy')).toBe(before.deploys);
      expect(calls('DeploymentController.undeploy')).toBe(before.undeploys);
      expect(calls('AliasController.set')).toBe(before.aliases);
      expect(await model('echo')).toEqual(before.model);
      expect(sut.deployer.list()).toHaveLength(before.deployed);
    });

    it('still creates a model of her own, and owns it', async () => {
      const zip = await exampleZip(EXAMPLES.echo, { 'ml-run.yaml': MANIFEST('mallorys') });
      expect((await upload(MALLORY, zip)).statusCode).toBe(201);
      await sut.buildsIdle();
      expect((await model('mallorys')).owners).toMatchObject({ users: ['mallory'], groups: [] });
      expect(
        (await as(ADA, 'PUT', '/v1/models/mallorys/aliases/x', { version: '1.0.0' })).json(),
      ).toMatchObject({ code: 'NOT_MODEL_OWNER' });
    });

    it('cannot name a group she is not in as owners of a new model; nothing is kept', async () => {
      const zip = await exampleZip(EXAMPLES.echo, { 'ml-run.yaml': MANIFEST('squat') });
      const res = await upload(MALLORY, zip, '?ownerGroups=data-team');
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'OWNER_GROUP_NOT_YOURS' });
      expect((await as(ADMIN_TOKEN, 'GET', '/v1/models/squat')).statusCode).toBe(404);
      // The name is still free: a rightful creator gets it.
      expect((await upload(ADA, zip, '?ownerGroups=data-team')).statusCode).toBe(201);
      await sut.buildsIdle();
    });
  });

  describe('a predict:* token', () => {
    it.each([
      ['a bundle', () => `${versionUrl('echo', v1)}/bundle`, 'RegistryController.bundle'],
      ['a build log', () => `/v1/builds/${buildId}`, 'BuildsController.get'],
      ['build events', () => `/v1/builds/${buildId}/events`, 'BuildsController.events'],
      ['a version', () => versionUrl('echo', v1), 'RegistryController.getVersion'],
    ])('cannot read %s of a model (403 naming models:read:echo)', async (_what, url, handler) => {
      const before = calls(handler);
      const res = await as(READER_TOKEN, 'GET', url());
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        code: 'INSUFFICIENT_SCOPE',
        details: { requiredScope: 'models:read:echo' },
      });
      expect(res.headers['www-authenticate']).toContain('scope="models:read:echo"');
      expect(calls(handler)).toBe(before);
    });

    it('cannot list the routes (replica URLs), and lists no models', async () => {
      const before = calls('RegistryController.routes');
      expect((await as(READER_TOKEN, 'GET', '/v1/routes')).statusCode).toBe(403);
      expect(calls('RegistryController.routes')).toBe(before);
      expect((await as(READER_TOKEN, 'GET', '/v1/models')).json()).toEqual({ models: [] });
    });

    it('cannot upload at all: refused before the body is read', async () => {
      const before = calls('UploadController.upload');
      const res = await upload(READER_TOKEN, await exampleZip(EXAMPLES.echo, retrained('p: ')));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ details: { requiredScope: 'models:write:*' } });
      expect(calls('UploadController.upload')).toBe(before);
    });
  });

  describe('a models:read:iris token', () => {
    it('reads iris but not iris2 (a name it is a prefix of)', async () => {
      expect((await as(IVY, 'GET', '/v1/models/iris')).statusCode).toBe(200);
      const res = await as(IVY, 'GET', '/v1/models/iris2');
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ details: { requiredScope: 'models:read:iris2' } });
      const versions = (await model('iris2')).versions as { version: string }[];
      const bundle = await as(
        IVY,
        'GET',
        `${versionUrl('iris2', versions[0]?.version ?? '')}/bundle`,
      );
      expect(bundle.statusCode).toBe(403);
    });

    it('lists only iris', async () => {
      const listed = (await as(IVY, 'GET', '/v1/models')).json().models;
      expect(listed.map((m: { name: string }) => m.name)).toEqual(['iris']);
    });

    it('cannot write iris (read does not imply write)', async () => {
      const res = await as(IVY, 'PUT', '/v1/models/iris/aliases/stable', { version: 'x' });
      expect(res.json()).toMatchObject({
        code: 'INSUFFICIENT_SCOPE',
        details: { requiredScope: 'models:write:iris' },
      });
    });
  });

  it('refuses an owner group member whose scope names another model', async () => {
    const res = await as(ECHO_WRITER, 'PUT', '/v1/models/echo/aliases/stable', { version: v2 });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ details: { requiredScope: 'models:write:echo' } });
  });

  it('lets an owner through a group (models:write:echo, in data-team) move the alias', async () => {
    const res = await as(CAROL, 'PUT', '/v1/models/echo/aliases/canary', { version: v2 });
    expect(res.statusCode).toBe(200);
    expect((await model('echo')).aliases.canary).toEqual({
      versions: [{ version: v2, weight: 100 }],
    });
  });

  it('lets an admin change any model', async () => {
    expect(
      (await as(ADMIN_TOKEN, 'PUT', '/v1/models/echo/aliases/canary', { version: v1 })).statusCode,
    ).toBe(200);
    expect(
      (
        await as(ADMIN_TOKEN, 'PUT', '/v1/models/mallorys/aliases/stable', {
          version: (await model('mallorys')).versions[0].version,
        })
      ).statusCode,
    ).toBe(200);
  });
});

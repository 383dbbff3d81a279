import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { BuildProgressEvent } from '@ml-run/registry-contract';

import { CliError } from '../cli.errors';
import { NOT_LOGGED_IN } from '../session/token-file';
import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeRoutes, type FakeServer } from '../testing/fake-server';
import {
  buildRecord,
  deploymentRecord,
  loggedIn,
  modelRecord,
  TOKEN,
  uploadAnswer,
} from '../testing/fixtures';
import { push } from './push-command';

const step = (name: 'validate' | 'store', state: 'running' | 'done'): BuildProgressEvent => ({
  type: 'step',
  step: { name, state },
});

describe(push.name, () => {
  let root: string;
  let model: string;
  let builder: FakeServer;
  let sut: CliHarness;

  const start = async (routes: FakeRoutes) => {
    builder = await startFakeServer(routes);
    sut = cliHarness({ dataDir: root, urls: { builder: builder.url, router: '', auth: '' } });
  };
  // The version `ml-run pack` printed for the scaffolded model.
  let packedVersion = '';
  const uploadRoute = (created = true): FakeRoutes => ({
    'POST /v1/models': () => ({
      status: created ? 201 : 200,
      json: uploadAnswer('demo', packedVersion, created),
    }),
  });
  const events = (...list: BuildProgressEvent[]) => ({
    sse: list.map((e) => ({ event: e.type, data: e })),
  });

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-push-'));
    model = path.join(root, 'demo');
    const setup = cliHarness({ dataDir: root });
    await setup.run('init', model, '--runtime', 'node');
    await setup.run('pack', model, '-o', path.join(root, 'demo.zip'));
    const versionLine = setup.lines.find((line) => line.startsWith('version '));
    packedVersion = versionLine?.replace(/^version\s+/, '') ?? '';
    await loggedIn(root);
  });
  afterEach(async () => {
    await builder?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('uploads the zip intact as application/zip with the bearer token', async () => {
    await start({
      ...uploadRoute(),
      'GET /v1/builds/b-1': () => ({ json: buildRecord({ state: 'succeeded' }) }),
    });
    const zip = path.join(root, 'demo.zip');
    await sut.run('push', zip);
    const upload = builder.requests.find((r) => r.method === 'POST');
    expect(upload?.headers['content-type']).toBe('application/zip');
    expect(upload?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(upload?.body.equals(await readFile(zip))).toBe(true);
    expect(upload?.headers['content-length']).toBe(String(upload?.body.length));
    expect(sut.lines).toContain(`uploaded demo ${packedVersion}: a new version`);
    expect(sut.status.at(-1)).toMatch(/^uploading demo\.zip \[#+\] 100% /);
  });

  it('names the owner groups of a new model with --owner-group, repeated', async () => {
    await start({
      ...uploadRoute(),
      'GET /v1/builds/b-1': () => ({ json: buildRecord({ state: 'succeeded' }) }),
    });
    await sut.run(
      'push',
      path.join(root, 'demo.zip'),
      '--owner-group',
      'data-team',
      '--owner-group',
      'ml-ops',
    );
    const upload = builder.requests.find((r) => r.method === 'POST');
    expect(upload?.query.getAll('ownerGroups')).toEqual(['data-team', 'ml-ops']);
  });

  it('says which scope a refused upload needs, in a sentence', async () => {
    await start({
      'POST /v1/models': () => ({
        status: 403,
        json: {
          code: 'INSUFFICIENT_SCOPE',
          message: 'the token does not grant models:write:demo',
          details: { requiredScope: 'models:write:demo' },
        },
      }),
    });
    await expect(sut.run('push', path.join(root, 'demo.zip'))).rejects.toThrow(
      'error INSUFFICIENT_SCOPE: your token lacks the scope models:write:demo: ask an admin for a group that grants it, then run ml-run login again',
    );
  });

  it('streams a multi-megabyte bundle intact, drawing progress', async () => {
    await start({
      ...uploadRoute(),
      'GET /v1/builds/b-1': () => ({ json: buildRecord({ state: 'succeeded' }) }),
    });
    await writeFile(path.join(model, 'coefficients', 'big.bin'), randomBytes(3 * 1024 ** 2));
    const zip = path.join(root, 'big.zip');
    await cliHarness({ dataDir: root }).run('pack', model, '-o', zip);
    await sut.run('push', zip);
    const upload = builder.requests.find((r) => r.method === 'POST');
    expect(upload?.body.equals(await readFile(zip))).toBe(true);
    expect(sut.status.length).toBeGreaterThan(1);
    expect(sut.status.at(-1)).toContain('100% 3.0 MiB / 3.0 MiB');
  });

  it('asks for the build when its event stream ends early', async () => {
    let asked = 0;
    await start({
      ...uploadRoute(),
      'GET /v1/builds/b-1': () => ({
        json: buildRecord({ state: asked++ === 0 ? 'running' : 'succeeded' }),
      }),
      'GET /v1/builds/b-1/events': () => events(step('validate', 'running')),
    });
    await sut.run('push', path.join(root, 'demo.zip'));
    expect(sut.lines.slice(-2)).toEqual(['  validate     running', 'build b-1 succeeded']);
  });

  it('packs a folder first, then follows the build events step by step', async () => {
    await start({
      ...uploadRoute(),
      'GET /v1/builds/b-1': () => ({ json: buildRecord() }),
      'GET /v1/builds/b-1/events': () =>
        events(
          step('validate', 'running'),
          step('validate', 'done'),
          { type: 'log', line: 'stored' },
          step('store', 'done'),
          { type: 'done', build: buildRecord({ state: 'succeeded' }) },
        ),
    });
    await sut.run('push', model);
    expect(sut.lines[0]).toMatch(
      new RegExp(`^packed .*demo: demo ${packedVersion.replace('+', '\\+')} \\(`),
    );
    expect(sut.lines.slice(2)).toEqual([
      'build b-1',
      '  validate     running',
      '  validate     done',
      '  store        done',
      'build b-1 succeeded',
    ]);
    const upload = builder.requests.find((r) => r.method === 'POST');
    expect(upload?.body.equals(await readFile(path.join(root, 'demo.zip')))).toBe(true);
  });

  it('fails with the build error and its last log lines', async () => {
    const failed = buildRecord({
      state: 'failed',
      error: { code: 'DEPENDENCIES_FAILED', message: 'pip install failed' },
      log: ['Collecting numpy', 'ERROR: no matching distribution'],
    });
    await start({
      ...uploadRoute(),
      'GET /v1/builds/b-1': () => ({ json: buildRecord() }),
      'GET /v1/builds/b-1/events': () => events({ type: 'done', build: failed }),
    });
    await expect(sut.run('push', model)).rejects.toThrow(CliError);
    expect(sut.lines.slice(-4)).toEqual([
      'build b-1 failed: error DEPENDENCIES_FAILED: pip install failed',
      'last 2 log lines:',
      '  | Collecting numpy',
      '  | ERROR: no matching distribution',
    ]);
  });

  it('says an identical upload is known, and uses its finished build', async () => {
    await start({
      ...uploadRoute(false),
      'GET /v1/builds/b-1': () => ({ json: buildRecord({ state: 'succeeded' }) }),
    });
    await sut.run('push', path.join(root, 'demo.zip'));
    expect(sut.lines).toEqual([
      `uploaded demo ${packedVersion}: already known (same content was uploaded before): no new build`,
      'build b-1 had already succeeded',
      'build b-1 succeeded',
    ]);
  });

  it('with --deploy, deploys, prints the replicas and makes the version stable', async () => {
    await start({
      ...uploadRoute(),
      'GET /v1/builds/b-1': () => ({ json: buildRecord({ state: 'succeeded' }) }),
      [`POST /v1/models/demo/versions/${packedVersion}/deployment`]: () => ({
        status: 201,
        json: deploymentRecord({ version: packedVersion }),
      }),
      'GET /v1/models/demo': () => ({ json: modelRecord() }),
      'PUT /v1/models/demo/aliases/stable': () => ({ json: {} }),
    });
    await sut.run(
      'push',
      path.join(root, 'demo.zip'),
      '--deploy',
      '--replicas',
      '2',
      '--target',
      'process',
    );
    const deploy = builder.requests.find((r) => r.path.endsWith('/deployment'));
    expect(JSON.parse(deploy?.body.toString() ?? '')).toEqual({ target: 'process', replicas: 2 });
    const alias = builder.requests.find((r) => r.method === 'PUT');
    expect(JSON.parse(alias?.body.toString() ?? '')).toEqual({ version: packedVersion });
    expect(sut.lines.slice(-5)).toEqual([
      `deployment demo ${packedVersion}: ready (2 replicas, target process)`,
      '  REPLICA  URL                    STATE',
      '  r-1      http://127.0.0.1:9101  ready',
      '  r-2      http://127.0.0.1:9102  ready',
      `alias stable now points at ${packedVersion} (the model had none)`,
    ]);
  });

  it('leaves an existing stable alias alone', async () => {
    const stable = { versions: [{ version: '0.0.1+aaaaaaaaaaaa', weight: 100 }] };
    await start({
      ...uploadRoute(),
      'GET /v1/builds/b-1': () => ({ json: buildRecord({ state: 'succeeded' }) }),
      [`POST /v1/models/demo/versions/${packedVersion}/deployment`]: () => ({
        json: deploymentRecord({ version: packedVersion }),
      }),
      'GET /v1/models/demo': () => ({ json: modelRecord({ aliases: { stable } }) }),
    });
    await sut.run('push', path.join(root, 'demo.zip'), '--deploy');
    expect(builder.requests.some((r) => r.method === 'PUT')).toBe(false);
    expect(sut.lines.at(-1)).toMatch(/^alias stable stays at 0\.0\.1\+aaaaaaaaaaaa/);
  });

  it('needs a login, and says so before uploading', async () => {
    await start(uploadRoute());
    await rm(path.join(root, 'cli-token.json'));
    await expect(sut.run('push', model)).rejects.toThrow(NOT_LOGGED_IN);
    expect(builder.requests).toEqual([]);
  });

  it('says to start ML-RUN when the builder is down', async () => {
    await start({});
    await builder.close();
    await expect(sut.run('push', path.join(root, 'demo.zip'))).rejects.toThrow(
      `cannot reach the builder at ${builder.url}: is ML-RUN running? (npm start)`,
    );
  });
});

import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

import { UploadController } from '@ml-run/builder-image-build';
import { EXAMPLES, exampleZip, renameEntry } from '@ml-run/builder-image-build/testing';
import type { ModelRecord, UploadResponse } from '@ml-run/registry-contract';
import { SCRAPER } from '@ml-run/server/testing';

import { bearer, READER_TOKEN, VIEWER_TOKEN, WRITER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const upload = (
  payload: Buffer | Readable,
  headers: Record<string, string> = { 'content-type': 'application/zip' },
  token = WRITER_TOKEN,
) =>
  ({
    method: 'POST',
    url: '/v1/models',
    headers: { ...bearer(token), ...headers },
    payload,
  }) as const;

const BOUNDARY = 'mlrun-test-boundary';

// A multipart/form-data body with one file field, as curl -F would send it.
const multipart = (field: string, content: Buffer) =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="note"\r\n\r\nhello\r\n` +
        `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${field}"; filename="m.zip"\r\n` +
        'content-type: application/zip\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);

const stepStates = (build: { steps: { name: string; state: string }[] }) =>
  build.steps.map((s) => `${s.name}:${s.state}`);

describe(UploadController.name, () => {
  let sut: TestBuilder;

  beforeEach(async () => {
    sut = await startTestBuilder({ settings: { MLRUN_MAX_BUNDLE_BYTES: String(64 * 1024) } });
  });
  afterEach(() => sut.close());

  const read = async (url: string) =>
    sut.app.inject({ method: 'GET', url, headers: bearer(VIEWER_TOKEN) });

  const filesIn = (dir: string) => readdir(path.join(sut.dataDir, dir)).catch(() => []);

  async function uploaded(zip: Buffer): Promise<UploadResponse> {
    const res = await sut.app.inject(upload(zip));
    expect(res.statusCode).toBe(201);
    await sut.buildsIdle();
    return res.json();
  }

  it('takes the bundle as the multipart file field "bundle" too', async () => {
    const zip = await exampleZip(EXAMPLES.echo);
    const res = await sut.app.inject(
      upload(multipart('bundle', zip), {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      }),
    );
    expect(res.statusCode).toBe(201);
    await sut.buildsIdle();
    const again = await sut.app.inject(upload(zip));
    expect(again.json()).toMatchObject({ version: res.json().version, created: false });
  });

  it('stores a valid bundle as a new version and builds it', async () => {
    const res = await sut.app.inject(upload(await exampleZip(EXAMPLES.echo)));
    expect(res.statusCode).toBe(201);
    const body: UploadResponse = res.json();
    expect(body).toEqual({
      name: 'echo',
      version: expect.stringMatching(/^1\.0\.0\+[0-9a-f]{12}$/),
      buildId: expect.stringMatching(/^b-/),
      created: true,
    });
    await sut.buildsIdle();
    const version = await read(`/v1/models/echo/versions/${encodeURIComponent(body.version)}`);
    expect(version.json()).toMatchObject({ state: 'built', uploadedBy: 'ada', runtime: 'node' });
    const build = (await read(`/v1/builds/${body.buildId}`)).json();
    expect(build.state).toBe('succeeded');
    expect(stepStates(build)).toEqual([
      'validate:done',
      'store:done',
      'unpack:done',
      'dependencies:skipped',
      'image:skipped',
      'push:skipped',
    ]);
    expect(sut.events.map((e) => e.type)).toEqual([
      'model.uploaded',
      'build.started',
      'build.succeeded',
    ]);
    expect(await filesIn('uploads')).toEqual([]);
  });

  it('unpacks a python bundle next to the registry, with its coefficients', async () => {
    const { version } = await uploaded(await exampleZip(EXAMPLES.iris));
    const bundle = path.join('models', 'iris', version, 'bundle');
    expect(await filesIn(bundle)).toEqual(
      expect.arrayContaining(['ml-run.yaml', 'model.py', 'coefficients']),
    );
    expect(await filesIn(path.join(bundle, 'coefficients'))).toEqual(['model.json']);
  });

  it('answers an identical re-upload with the existing version and no second build', async () => {
    const zip = await exampleZip(EXAMPLES.echo);
    const first = await uploaded(zip);
    const again = await sut.app.inject(upload(zip));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first, created: false });
    await sut.buildsIdle();
    expect(sut.events.filter((e) => e.type === 'build.started')).toHaveLength(1);
    expect(await filesIn('uploads')).toEqual([]);
    expect(await filesIn('bundles')).toHaveLength(1);
  });

  it('refuses other code under an existing version, and keeps the version as it was', async () => {
    const first = await uploaded(await exampleZip(EXAMPLES.echo));
    const before = (await read(`/v1/models/echo`)).json();
    const changed = await sut.app.inject(
      upload(await exampleZip(EXAMPLES.echo, { 'helper.js': 'module.exports = 1;\n' })),
    );
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({
      code: 'VERSION_CONFLICT',
      message: expect.stringContaining('raise codeVersion'),
    });
    expect(changed.json().message).toContain(first.version);
    await sut.buildsIdle();
    expect((await read(`/v1/models/echo`)).json()).toEqual(before);
    expect(sut.events.filter((e) => e.type === 'build.started')).toHaveLength(1);
    expect(await filesIn('uploads')).toEqual([]);
    expect(await filesIn('bundles')).toHaveLength(1);
  });

  it('makes one version of two identical uploads at once', async () => {
    const zip = await exampleZip(EXAMPLES.echo);
    const answers = await Promise.all([sut.app.inject(upload(zip)), sut.app.inject(upload(zip))]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
    await sut.buildsIdle();
    expect(sut.events.filter((e) => e.type === 'build.started')).toHaveLength(1);
  });

  it('makes a new version from changed coefficients and keeps the old one', async () => {
    const first = await uploaded(await exampleZip(EXAMPLES.echo));
    const retrained = await uploaded(
      await exampleZip(EXAMPLES.echo, { 'coefficients/settings.json': '{ "prefix": "echo2: " }' }),
    );
    expect(retrained.version).toMatch(/^1\.0\.0\+[0-9a-f]{12}$/);
    expect(retrained.version).not.toBe(first.version);
    const model: ModelRecord = (await read('/v1/models/echo')).json();
    expect(model.versions.map((v) => v.version)).toEqual([first.version, retrained.version]);
    expect(model.versions.every((v) => v.state === 'built')).toBe(true);
  });

  describe('refuses a bad upload and records nothing', () => {
    const manifest = 'name: Echo\nruntime: node\nentry: model.js\ncodeVersion: 1.0.0\n';

    it.each([
      ['not a zip', async () => Buffer.from('this is not a zip file'), 400, 'ZIP_INVALID'],
      [
        'a zip-slip entry',
        async () =>
          renameEntry(
            await exampleZip(EXAMPLES.echo, { 'aa/evil.txt': 'x' }),
            'aa/evil.txt',
            '../evil.txt',
          ),
        422,
        'ZIP_PATH_TRAVERSAL',
      ],
      [
        'an invalid manifest',
        async () => exampleZip(EXAMPLES.echo, { 'ml-run.yaml': manifest }),
        422,
        'MANIFEST_INVALID',
      ],
      [
        'a missing entry file',
        async () =>
          exampleZip(EXAMPLES.echo, {
            'ml-run.yaml': manifest.replace('Echo', 'echo').replace('model.js', 'gone.js'),
          }),
        422,
        'ENTRY_MISSING',
      ],
      [
        'an oversized bundle',
        async () => exampleZip(EXAMPLES.echo, { 'big.bin': randomBytes(70 * 1024) }),
        413,
        'BUNDLE_TOO_LARGE',
      ],
    ])('%s', async (_what, zip, status, code) => {
      const res = await sut.app.inject(upload(await zip()));
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ code, message: expect.any(String) });
      expect((await read('/v1/models')).json()).toEqual({ models: [] });
      expect(await filesIn('uploads')).toEqual([]);
      expect(await filesIn('bundles')).toEqual([]);
      expect(sut.events).toEqual([]);
    });

    it('an oversized body without a length, cut off while streaming', async () => {
      const chunks = Array.from({ length: 80 }, () => Buffer.alloc(1024, 7));
      const res = await sut.app.inject(upload(Readable.from(chunks)));
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('BUNDLE_TOO_LARGE');
      expect(res.headers['connection']).toBe('close');
      expect(await filesIn('uploads')).toEqual([]);
    });

    it('says what is wrong in an invalid manifest', async () => {
      const res = await sut.app.inject(
        upload(await exampleZip(EXAMPLES.echo, { 'ml-run.yaml': manifest })),
      );
      expect(res.json().message).toContain('name');
      expect(res.json().details).toEqual([expect.objectContaining({ path: 'name' })]);
    });

    it.each([
      ['more than 16 fields', 40, 10],
      ['a field over 16 KiB', 1, 20 * 1024],
    ])('a multipart upload with %s before the bundle', async (_what, count, size) => {
      const fields = Array.from(
        { length: count },
        (_, i) =>
          `--${BOUNDARY}\r\ncontent-disposition: form-data; name="f${i}"\r\n\r\n${'v'.repeat(size)}\r\n`,
      ).join('');
      const res = await sut.app.inject(
        upload(Buffer.concat([Buffer.from(fields), multipart('bundle', Buffer.from('x'))]), {
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        }),
      );
      expect(res.statusCode).toBe(415);
      expect(res.json().code).toBe('UNSUPPORTED_UPLOAD');
      expect(res.json().message).toMatch(/more than (16 fields|16384 bytes in a field)/);
    });

    it('a multipart upload without a bundle field, saying how to send it', async () => {
      const res = await sut.app.inject(
        upload(multipart('other', Buffer.from('x')), {
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        }),
      );
      expect(res.statusCode).toBe(415);
      expect(res.json()).toEqual({
        code: 'UNSUPPORTED_UPLOAD',
        message: expect.stringContaining('file field "bundle"'),
      });
    });
  });

  it('needs a token with models:write', async () => {
    const zip = await exampleZip(EXAMPLES.echo);
    const anonymous = await sut.app.inject({
      method: 'POST',
      url: '/v1/models',
      payload: zip,
      headers: { 'content-type': 'application/zip' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('invalid_token');
    const reader = await sut.app.inject(upload(zip, undefined, READER_TOKEN));
    expect(reader.statusCode).toBe(403);
    expect(reader.json().code).toBe('INSUFFICIENT_SCOPE');
    expect(await filesIn('uploads')).toEqual([]);
    expect(sut.events).toEqual([]);
  });

  it('counts uploads by result', async () => {
    const zip = await exampleZip(EXAMPLES.echo);
    await uploaded(zip);
    await sut.app.inject(upload(zip));
    await sut.app.inject(upload(Buffer.from('nope')));
    const metrics = (await sut.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER }))
      .body;
    expect(metrics).toMatch(/mlrun_uploads_total\{result="created",service="builder"\} 1/);
    expect(metrics).toMatch(/mlrun_uploads_total\{result="existing",service="builder"\} 1/);
    expect(metrics).toMatch(/mlrun_uploads_total\{result="invalid",service="builder"\} 1/);
    expect(metrics).toMatch(/mlrun_builds_total\{result="succeeded",service="builder"\} 1/);
  });
});

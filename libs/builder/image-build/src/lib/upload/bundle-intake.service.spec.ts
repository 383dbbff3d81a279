import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Logger } from '@nestjs/common';

import { DataDirs } from '@ml-run/builder-registry';

import { EXAMPLES, exampleZip } from '../../testing/test-bundles';
import { BundleIntake } from './bundle-intake.service';

describe(BundleIntake.name, () => {
  let dirs: DataDirs;
  let sut: BundleIntake;

  beforeEach(async () => {
    dirs = new DataDirs(await mkdtemp(path.join(os.tmpdir(), 'intake-')));
    sut = new BundleIntake(dirs, 16 * 1024, { allowSourceBuilds: false });
    await sut.onApplicationBootstrap();
  });
  afterEach(() => rm(dirs.root, { recursive: true, force: true }));

  const incoming = (body: unknown, contentType = 'application/zip', contentLength?: number) => ({
    contentType,
    contentLength,
    body,
  });

  it('hashes and inspects a bundle streamed in chunks, then stores it content-addressed', async () => {
    const zip = await exampleZip(EXAMPLES.echo);
    const chunks = Array.from({ length: Math.ceil(zip.length / 100) }, (_, i) =>
      zip.subarray(i * 100, (i + 1) * 100),
    );
    const bundle = await sut.receive(incoming(Readable.from(chunks), 'application/octet-stream'));
    expect(bundle).toMatchObject({
      bytes: zip.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(bundle.info.manifest.name).toBe('echo');
    await sut.keep(bundle);
    expect(await readdir(dirs.bundles)).toEqual([`${bundle.sha256}.zip`]);
    expect(await readdir(dirs.uploads)).toEqual([]);
  });

  it('stops reading at the cap when the length is unknown, and removes the part', async () => {
    const body = Readable.from(Array.from({ length: 40 }, () => randomBytes(1024)));
    await expect(sut.receive(incoming(body))).rejects.toMatchObject({ code: 'BUNDLE_TOO_LARGE' });
    expect(await readdir(dirs.uploads)).toEqual([]);
  });

  it('refuses a declared length over the cap before reading anything', async () => {
    const body = Readable.from([Buffer.alloc(10)]);
    await expect(sut.receive(incoming(body, 'application/zip', 17 * 1024))).rejects.toMatchObject({
      code: 'BUNDLE_TOO_LARGE',
    });
    expect(await readdir(dirs.uploads)).toEqual([]);
  });

  it.each(['multipart/form-data; boundary=x', 'application/json', ''])(
    'refuses content-type %p',
    async (type) => {
      await expect(sut.receive(incoming(Readable.from([]), type))).rejects.toMatchObject({
        code: 'UNSUPPORTED_UPLOAD',
      });
    },
  );

  it('removes parts left by an interrupted upload on start', async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await writeFile(path.join(dirs.uploads, 'x.partial'), 'half');
    await sut.onApplicationBootstrap();
    expect(await readdir(dirs.uploads)).toEqual([]);
  });
});

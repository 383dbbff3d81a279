import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';

import { readModelDir } from '@ml-run/model-contract';

import { EXAMPLES, filesOf, type ZipFiles } from '../../testing/test-bundles';
import { buildContext, buildFetchContext, type ImageBuildContext } from './build-context';
import { ImageContextErrorCode } from './image.errors';

const BASE = '127.0.0.1:5000/ml-run/base:abc123def456';
const BUNDLE_SHA = 'b'.repeat(64);
const FETCH_IMAGE = 'ml-run-deps/demo:1.2.0_0123456789ab';
const MANIFEST = 'name: demo\nruntime: python\nentry: model.py\ncodeVersion: 1.2.0\n';

type TarEntry = {
  name: string;
  type: string | null | undefined;
  mode: number | undefined;
  owner: string;
  mtime: string | undefined;
  content: Buffer;
};

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function entriesOf(tar: Buffer): Promise<TarEntry[]> {
  const extractor = extract();
  extractor.end(tar);
  const entries: TarEntry[] = [];
  for await (const entry of extractor) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const h = entry.header;
    entries.push({
      name: h.name,
      type: h.type,
      mode: h.mode,
      owner: `${h.uid}:${h.gid}:${h.uname}:${h.gname}`,
      mtime: h.mtime?.toISOString(),
      content: Buffer.concat(chunks),
    });
  }
  return entries;
}

async function writeFiles(dir: string, files: ZipFiles): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

describe(buildContext.name, () => {
  let root: string;
  let wrapperDir: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'image-context-'));
    wrapperDir = path.join(root, 'wrapper-build');
    await writeFiles(wrapperDir, {
      'main.js': 'console.log("wrapper")\n',
      'mlrun_worker.py': 'print("worker")\n',
    });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function bundle(name: string, files: ZipFiles): Promise<string> {
    const dir = path.join(root, name);
    await writeFiles(dir, files);
    return dir;
  }

  async function contextOf(bundleDir: string): Promise<ImageBuildContext> {
    const info = await readModelDir(bundleDir);
    return buildContext({
      bundleDir,
      wrapperDir,
      manifest: info.manifest,
      image: {
        baseImage: BASE,
        bundleSha256: BUNDLE_SHA,
        version: info.version,
        coefficientsDigest: info.coefficientsDigest,
        fetchImage: FETCH_IMAGE,
      },
    });
  }

  const entriesFor = async (bundleDir: string) =>
    entriesOf(await bytesOf((await contextOf(bundleDir)).tar));

  const DEMO: ZipFiles = {
    'ml-run.yaml': MANIFEST,
    'model.py': 'def predict(x):\n    return x\n',
    'lib/util.py': 'X = 1\n',
    'run.sh': '#!/bin/sh\n',
    'coefficients/w.json': '{"w":[1,2]}',
    'coefficients/sub/b.bin': 'bb',
  };

  it('splits the bundle into model/ and coefficients/ beside Dockerfile and wrapper/', async () => {
    const sut = await entriesFor(await bundle('demo', DEMO));
    expect(sut.map((e) => `${e.name}${e.type === 'directory' ? '/' : ''}`)).toEqual([
      'Dockerfile',
      'coefficients/',
      'coefficients/coefficients/',
      'coefficients/coefficients/sub/',
      'coefficients/coefficients/sub/b.bin',
      'coefficients/coefficients/w.json',
      'model/',
      'model/lib/',
      'model/lib/util.py',
      'model/ml-run.yaml',
      'model/model.py',
      'model/run.sh',
      'wrapper/',
      'wrapper/main.js',
      'wrapper/mlrun_worker.py',
    ]);
  });

  it('puts the generated Dockerfile at the root and the files as they are', async () => {
    const context = await contextOf(await bundle('demo', DEMO));
    const sut = await entriesOf(await bytesOf(context.tar));
    const text = (name: string) => sut.find((e) => e.name === name)?.content.toString();
    expect(text('Dockerfile')).toBe(context.dockerfile);
    expect(context.dockerfile).toContain('\nLABEL run.ml.name="demo" \\\n');
    expect(text('model/model.py')).toBe(DEMO['model.py']);
    expect(text('coefficients/coefficients/sub/b.bin')).toBe('bb');
    expect(text('wrapper/main.js')).toBe('console.log("wrapper")\n');
    expect(context.dependencies).toBeUndefined();
  });

  it('fixes owner, time and mode: only "executable or not" survives', async () => {
    const dir = await bundle('demo', DEMO);
    await chmod(path.join(dir, 'run.sh'), 0o700);
    await chmod(path.join(dir, 'model.py'), 0o600);
    const sut = await entriesFor(dir);
    for (const entry of sut) {
      expect(entry.owner).toBe('0:0::');
      expect(entry.mtime).toBe('2000-01-01T00:00:00.000Z');
    }
    const mode = (name: string) => sut.find((e) => e.name === name)?.mode;
    expect(mode('model/run.sh')).toBe(0o755);
    expect(mode('model/model.py')).toBe(0o644);
    expect(mode('model/lib')).toBe(0o755);
    expect(mode('Dockerfile')).toBe(0o644);
  });

  it('gives byte-identical tars for identical inputs on different disks', async () => {
    const files = await filesOf(EXAMPLES.iris);
    const first = await bundle('first', files);
    const second = await bundle('second', files);
    await utimes(path.join(second, 'model.py'), new Date('2030-01-01'), new Date('2030-01-01'));
    await chmod(path.join(second, 'coefficients/model.json'), 0o600);
    const [a, b] = await Promise.all(
      [first, second].map(async (dir) => bytesOf((await contextOf(dir)).tar)),
    );
    expect(a.equals(b)).toBe(true);
    expect(a.equals(await bytesOf((await contextOf(first)).tar))).toBe(true);
  });

  it('changes only the coefficients entries and the labels when only coefficients change', async () => {
    const files = await filesOf(EXAMPLES.iris);
    const before = await entriesFor(await bundle('before', files));
    const retrained = { ...files, 'coefficients/model.json': '{"retrained":true}' };
    const after = await entriesFor(await bundle('after', retrained));
    expect(after.map((e) => e.name)).toEqual(before.map((e) => e.name));
    const changed = after.filter(
      (e, i) => !e.content.equals(before[i]?.content ?? Buffer.alloc(0)),
    );
    expect(changed.map((e) => e.name)).toEqual([
      'Dockerfile',
      'coefficients/coefficients/model.json',
    ]);
    const lines = (entries: TarEntry[]) => entries[0]?.content.toString().split('\n') ?? [];
    const beforeLines = lines(before);
    const changedLines = lines(after).filter((line, i) => line !== beforeLines[i]);
    // The manifest's coefficients.version label stays: the manifest did not change.
    expect(changedLines).toHaveLength(3);
    for (const line of changedLines) {
      expect(line).toMatch(
        /^ {4}(run\.ml\.version|run\.ml\.coefficients-digest|org\.opencontainers\.image\.version)=/,
      );
    }
  });

  it('puts a single-file coefficients path in coefficients/ at its bundle path', async () => {
    const manifest = `${MANIFEST}coefficients:\n  path: data/weights.json\n`;
    const dir = await bundle('single', {
      'ml-run.yaml': manifest,
      'model.py': 'x',
      'data/weights.json': '[1]',
      'data/loader.py': 'y',
    });
    const names = (await entriesFor(dir)).map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'coefficients/data',
        'coefficients/data/weights.json',
        'model/data',
        'model/data/loader.py',
      ]),
    );
    expect(names).not.toContain('model/data/weights.json');
  });

  it('keeps an empty coefficients/ folder when the bundle has no coefficients', async () => {
    const dir = await bundle('bare', { 'ml-run.yaml': MANIFEST, 'model.py': 'x' });
    const names = (await entriesFor(dir)).map((e) => e.name);
    expect(names.filter((name) => name.startsWith('coefficients'))).toEqual(['coefficients']);
  });

  it('plans the dependencies from the bundle and installs them from the fetch image', async () => {
    const dir = await bundle('deps', { ...DEMO, 'requirements.txt': 'numpy==2.1.0\n' });
    const context = await contextOf(dir);
    expect(context.dependencies).toEqual({ kind: 'pip' });
    expect(context.dockerfile).toContain(`\nFROM ${FETCH_IMAGE} AS deps\n`);
    expect(context.dockerfile).toContain(
      '\nCOPY --from=deps --chown=0:0 /home/mlrun/deps/ /opt/ml-run/deps/\n',
    );
    context.tar.destroy();
  });

  it('makes a fetch context of the dependency files alone, and the CA bundle when given', async () => {
    const dir = await bundle('fetch', { ...DEMO, 'requirements.txt': 'numpy==2.1.0\n' });
    const ca = path.join(dir, '..', 'ca.pem');
    await writeFile(ca, 'CERT');
    const context = await buildFetchContext({
      bundleDir: dir,
      plan: { kind: 'pip' },
      baseImage: 'ml-run/base:1',
      caFile: ca,
    });
    const sut = await entriesOf(await bytesOf(context.tar));
    expect(sut.filter((e) => e.type === 'file').map((e) => e.name)).toEqual([
      'Dockerfile',
      'ca.pem',
      'model/requirements.txt',
    ]);
    expect(context.dockerfile).toContain('pip download');
  });

  it('streams large files whole', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const dir = await bundle('big', { ...DEMO, 'coefficients/big.bin': big });
    const sut = await entriesFor(dir);
    const content = sut.find((e) => e.name === 'coefficients/coefficients/big.bin')?.content;
    expect(content?.equals(big)).toBe(true);
  });

  it('refuses a symlink in the bundle before streaming anything', async () => {
    const dir = await bundle('linked', DEMO);
    await symlink('/etc/passwd', path.join(dir, 'lib', 'passwd'));
    await expect(contextOf(dir)).rejects.toMatchObject({
      code: ImageContextErrorCode.UnsupportedFile,
      message: expect.stringContaining('passwd is a symlink'),
    });
  });

  it('refuses a symlink in the wrapper folder', async () => {
    await symlink('..', path.join(wrapperDir, 'up'));
    await expect(contextOf(await bundle('demo', DEMO))).rejects.toMatchObject({
      code: ImageContextErrorCode.UnsupportedFile,
    });
  });

  it('fails the stream when a file changes while it is read', async () => {
    const dir = await bundle('demo', DEMO);
    const context = await contextOf(dir);
    await truncate(path.join(dir, 'model.py'), 1);
    await expect(bytesOf(context.tar)).rejects.toThrow(/size mismatch/i);
  });
});

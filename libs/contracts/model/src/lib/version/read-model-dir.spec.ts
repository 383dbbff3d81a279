import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  MODEL_DIR_FIXTURE,
  MODEL_DIR_FIXTURE_DIGEST,
  MODEL_DIR_FIXTURE_VERSION,
} from '../../testing/test-vectors';
import { ContractErrorCode } from '../contract.errors';
import { digestCoefficientsDir } from './digest-coefficients-dir';
import { EMPTY_COEFFICIENTS_DIGEST } from './model-version';
import { readModelDir } from './read-model-dir';

const MANIFEST = 'name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.2.0\n';

describe(readModelDir.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-dir-'));
    await writeFile(join(dir, 'model.py'), 'def predict(x):\n    return x\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('derives the pinned version of the fixture model folder', async () => {
    const sut = await readModelDir(MODEL_DIR_FIXTURE);
    expect(sut.version).toBe(MODEL_DIR_FIXTURE_VERSION);
    expect(sut.coefficientsDigest).toBe(MODEL_DIR_FIXTURE_DIGEST);
    expect(sut.coefficientsDir).toBe(join(MODEL_DIR_FIXTURE, 'coefficients'));
    expect(sut.manifest.name).toBe('iris');
  });

  it('agrees with sha256sum over the sorted file list', async () => {
    const listing = execFileSync(
      'sh',
      ['-c', "find . -type f | sed 's|^\\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum"],
      { cwd: join(MODEL_DIR_FIXTURE, 'coefficients'), encoding: 'utf8' },
    );
    expect(listing.split(' ')[0]).toBe(MODEL_DIR_FIXTURE_DIGEST);
  });

  it('treats a missing default coefficients folder as no coefficients', async () => {
    await writeFile(join(dir, 'ml-run.yaml'), MANIFEST);
    const sut = await readModelDir(dir);
    expect(sut.coefficientsDigest).toBe(EMPTY_COEFFICIENTS_DIGEST);
    expect(sut.version).toBe('1.2.0+e3b0c44298fc');
  });

  it('throws COEFFICIENTS_MISSING when an explicit path is absent', async () => {
    await writeFile(join(dir, 'ml-run.yaml'), `${MANIFEST}coefficients:\n  path: weights/\n`);
    await expect(readModelDir(dir)).rejects.toMatchObject({
      code: ContractErrorCode.CoefficientsMissing,
    });
  });

  it('throws ENTRY_MISSING when the entry file is absent', async () => {
    await writeFile(join(dir, 'ml-run.yaml'), MANIFEST.replace('model.py', 'src/model.py'));
    await expect(readModelDir(dir)).rejects.toMatchObject({ code: ContractErrorCode.EntryMissing });
  });

  it('lists a single-file coefficients path by its basename', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'weights.json'), '{"w":[0.1,0.2,0.3]}');
    await writeFile(
      join(dir, 'ml-run.yaml'),
      `${MANIFEST}coefficients:\n  path: data/weights.json\n`,
    );
    const sut = await readModelDir(dir);
    // versions.json "one file": weights.json with this content.
    expect(sut.coefficientsDigest).toBe(
      'ebc3951cb16f59f83e11bc487132d49667b9c31f283a9e855173888ba6a49fc5',
    );
  });
});

describe(digestCoefficientsDir.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coefficients-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('digests an empty folder as no files', async () => {
    await expect(digestCoefficientsDir(dir)).resolves.toBe(EMPTY_COEFFICIENTS_DIGEST);
  });

  it('does not depend on where the folder is', async () => {
    await cp(join(MODEL_DIR_FIXTURE, 'coefficients'), join(dir, 'copy'), { recursive: true });
    await expect(digestCoefficientsDir(join(dir, 'copy'))).resolves.toBe(MODEL_DIR_FIXTURE_DIGEST);
  });

  it('refuses a symlink inside the coefficients', async () => {
    await writeFile(join(dir, 'real.bin'), 'x');
    await symlink(join(dir, 'real.bin'), join(dir, 'link.bin'));
    await expect(digestCoefficientsDir(dir)).rejects.toMatchObject({
      code: ContractErrorCode.CoefficientsInvalid,
      message: expect.stringContaining('symlink'),
    });
  });

  it('throws COEFFICIENTS_MISSING for a missing path', async () => {
    await expect(digestCoefficientsDir(join(dir, 'nope'))).rejects.toMatchObject({
      code: ContractErrorCode.CoefficientsMissing,
    });
  });
});

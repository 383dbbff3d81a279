import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { renameEntry, zipOf } from '../../testing/test-bundles';
import { unpackBundle } from './unpack-bundle';

describe(unpackBundle.name, () => {
  let dir: string;
  let target: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'unpack-'));
    target = path.join(dir, 'models/iris/1.0.0/bundle');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function zipFile(zip: Buffer): Promise<string> {
    const file = path.join(dir, 'bundle.zip');
    await writeFile(file, zip);
    return file;
  }

  it('unpacks the files, creating their folders', async () => {
    const zip = await zipOf({ 'ml-run.yaml': 'name: iris', 'coefficients/deep/w.csv': '1,2' });
    expect(await unpackBundle(await zipFile(zip), target)).toBe(2);
    expect(await readFile(path.join(target, 'coefficients/deep/w.csv'), 'utf8')).toBe('1,2');
  });

  it('replaces what an earlier unpack left, leaving no temp folder', async () => {
    await unpackBundle(await zipFile(await zipOf({ 'old.txt': 'x' })), target);
    await unpackBundle(await zipFile(await zipOf({ 'new.txt': 'y' })), target);
    expect(await readdir(target)).toEqual(['new.txt']);
    expect(await readdir(path.dirname(target))).toEqual(['bundle']);
  });

  it('refuses an entry that would land outside the folder, and writes nothing', async () => {
    const zip = renameEntry(
      await zipOf({ 'a.txt': 'a', 'xx/evil.txt': 'x' }),
      'xx/evil.txt',
      '../evil.txt',
    );
    await expect(unpackBundle(await zipFile(zip), target)).rejects.toThrow('unsafe entry name');
    expect(await readdir(path.dirname(target))).toEqual([]);
    expect(await readdir(dir)).not.toContain('evil.txt');
  });

  it('refuses an absolute entry name', async () => {
    const zip = renameEntry(await zipOf({ 'tmp/evil.txt': 'x' }), 'tmp/evil.txt', '/tm/evil.txt');
    await expect(unpackBundle(await zipFile(zip), target)).rejects.toThrow('unsafe entry name');
  });
});

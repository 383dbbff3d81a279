import { mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { inspectBundle } from '@ml-run/model-contract';

import { CliError } from '../cli.errors';
import { cliHarness } from '../testing/cli-harness';
import { packModel } from './pack-model';

const MANIFEST = 'name: demo\nruntime: python\nentry: model.py\ncodeVersion: 1.0.0\n';

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

describe(packModel.name, () => {
  let root: string;
  let model: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-pack-'));
    model = path.join(root, 'model');
    await writeTree(model, {
      'ml-run.yaml': MANIFEST,
      'model.py': 'def predict(input):\n    return input\n',
      'coefficients/w.json': '[1, 2]\n',
      'lib/util.py': 'X = 1\n',
    });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes <name>-<version>.zip in the working folder, "+" and all, and passes inspectBundle', async () => {
    const sut = await packModel(model, undefined, root);
    expect(path.basename(sut.file)).toMatch(/^demo-1\.0\.0\+[0-9a-f]{12}\.zip$/);
    expect(path.dirname(sut.file)).toBe(root);
    const bundle = await inspectBundle(sut.file);
    expect(bundle.version).toBe(sut.bundle.version);
    expect(bundle.entries.map((e) => e.name)).toEqual([
      'coefficients/w.json',
      'lib/util.py',
      'ml-run.yaml',
      'model.py',
    ]);
  });

  it("gives the same bytes for the same content, whatever the files' times", async () => {
    const first = await readFile((await packModel(model, path.join(root, 'a.zip'))).file);
    await utimes(path.join(model, 'model.py'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await utimes(path.join(model, 'lib'), new Date(2002, 1, 1), new Date(2002, 1, 1));
    const second = await readFile((await packModel(model, path.join(root, 'b.zip'))).file);
    expect(second.equals(first)).toBe(true);
  });

  it('gives the same bytes in every time zone', async () => {
    const zone = process.env['TZ'];
    try {
      process.env['TZ'] = 'UTC';
      const utc = await readFile((await packModel(model, path.join(root, 'a.zip'))).file);
      process.env['TZ'] = 'Asia/Tokyo';
      const tokyo = await readFile((await packModel(model, path.join(root, 'b.zip'))).file);
      expect(tokyo.equals(utc)).toBe(true);
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
  });

  it('leaves out VCS data, installed packages, caches and compiled python', async () => {
    await writeTree(model, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'node_modules/x/index.js': '',
      '__pycache__/model.cpython-311.pyc': '',
      'lib/__pycache__/util.cpython-311.pyc': '',
      'lib/old.pyc': '',
      '.DS_Store': '',
      'lib/.DS_Store': '',
    });
    const sut = await packModel(model, path.join(root, 'out.zip'));
    expect(sut.bundle.entries.map((e) => e.name)).toEqual([
      'coefficients/w.json',
      'lib/util.py',
      'ml-run.yaml',
      'model.py',
    ]);
  });

  it('keeps an empty folder, and skips its own output when packing in place', async () => {
    await mkdir(path.join(model, 'data'));
    const first = await packModel(model, undefined, model);
    const second = await packModel(model, undefined, model);
    expect(second.bundle.entries.map((e) => e.name)).toContain('data/');
    expect(second.bundle.entries.map((e) => e.name)).not.toContain(path.basename(first.file));
  });

  it('refuses a symlink, naming it', async () => {
    await symlink(path.join(model, 'model.py'), path.join(model, 'lib', 'link.py'));
    const sut = packModel(model, path.join(root, 'out.zip'));
    await expect(sut).rejects.toBeInstanceOf(CliError);
    await expect(packModel(model, path.join(root, 'out.zip'))).rejects.toThrow(
      /cannot pack lib\/link\.py: it is a symlink/,
    );
  });

  it('refuses a folder that breaks the contract, before writing anything', async () => {
    await rm(path.join(model, 'model.py'));
    await expect(packModel(model, path.join(root, 'out.zip'))).rejects.toMatchObject({
      code: 'ENTRY_MISSING',
    });
  });

  it('prints name, version and size', async () => {
    const cli = cliHarness({ dataDir: root });
    await cli.run('pack', model, '-o', path.join(root, 'out.zip'));
    expect(cli.lines[0]).toBe('name     demo');
    expect(cli.lines[1]).toMatch(/^version {2}1\.0\.0\+[0-9a-f]{12}$/);
    expect(cli.lines[2]).toMatch(/^size {5}\d+ B \(\d+ bytes, 4 files\)$/);
  });
});

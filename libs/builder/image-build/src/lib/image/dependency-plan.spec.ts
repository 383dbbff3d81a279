import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { dependencyFiles, planDependencies } from './dependency-plan';

describe(planDependencies.name, () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'plan-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => writeFile(path.join(dir, name), text);
  const PACKAGE = JSON.stringify({ dependencies: { 'left-pad': '1.3.0' } });

  it('plans pip for a requirements.txt with a requirement', async () => {
    await write('requirements.txt', '# pinned\nnumpy==2.1.0\n');
    await expect(planDependencies(dir, 'python')).resolves.toEqual({ kind: 'pip' });
  });

  it('plans nothing for a requirements.txt of comments only, or none', async () => {
    await expect(planDependencies(dir, 'python')).resolves.toBeUndefined();
    await write('requirements.txt', '# nothing yet\n\n');
    await expect(planDependencies(dir, 'python')).resolves.toBeUndefined();
  });

  it('plans npm ci with the lock file npm prefers', async () => {
    await write('package.json', PACKAGE);
    await write('package-lock.json', '{}');
    await expect(planDependencies(dir, 'node')).resolves.toEqual({
      kind: 'npm',
      lockFile: 'package-lock.json',
    });
    await write('npm-shrinkwrap.json', '{}');
    await expect(planDependencies(dir, 'node')).resolves.toEqual({
      kind: 'npm',
      lockFile: 'npm-shrinkwrap.json',
    });
  });

  it('plans npm install without a lock file', async () => {
    await write('package.json', PACKAGE);
    await expect(planDependencies(dir, 'node')).resolves.toEqual({ kind: 'npm' });
  });

  it('plans nothing for a package.json with only dev dependencies', async () => {
    await write('package.json', JSON.stringify({ devDependencies: { jest: '30.0.0' } }));
    await expect(planDependencies(dir, 'node')).resolves.toBeUndefined();
  });

  it('looks only at the files of the runtime', async () => {
    await write('package.json', PACKAGE);
    await expect(planDependencies(dir, 'python')).resolves.toBeUndefined();
  });
});

describe(dependencyFiles.name, () => {
  it('lists the files each plan copies', () => {
    expect(dependencyFiles({ kind: 'pip' })).toEqual(['requirements.txt']);
    expect(dependencyFiles({ kind: 'npm' })).toEqual(['package.json']);
    expect(dependencyFiles({ kind: 'npm', lockFile: 'package-lock.json' })).toEqual([
      'package.json',
      'package-lock.json',
    ]);
  });
});

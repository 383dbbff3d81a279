import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Logger } from '@nestjs/common';

import type { BuildRecord, ModelVersionRecord } from '@ml-run/registry-contract';

import { FileRegistryStore } from './file-registry-store.adapter';

const version = (name: string, v: string, uploadedAt: string): ModelVersionRecord => ({
  name,
  version: v,
  codeVersion: v.split('+')[0] ?? v,
  coefficientsDigest: 'c'.repeat(64),
  runtime: 'python',
  bundleSha256: 'b'.repeat(64),
  bundleBytes: 100,
  defaultReplicas: 1,
  uploadedBy: 'ada',
  uploadedAt,
  buildId: `b-${v}`,
  state: 'uploaded',
});

const build: BuildRecord = {
  id: 'b-1',
  name: 'iris',
  version: '1.0.0+aaaaaaaaaaaa',
  state: 'queued',
  steps: [],
  log: [],
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe(FileRegistryStore.name, () => {
  let dir: string;
  let sut: FileRegistryStore;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'registry-'));
    sut = new FileRegistryStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps versions per model, oldest upload first', async () => {
    await sut.putVersion(version('iris', '1.1.0+bbbbbbbbbbbb', '2026-01-02T00:00:00.000Z'));
    await sut.putVersion(version('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
    await sut.putVersion(version('echo', '1.0.0+aaaaaaaaaaaa', '2026-01-03T00:00:00.000Z'));
    expect(await sut.listModels()).toEqual(['echo', 'iris']);
    expect((await sut.listVersions('iris')).map((v) => v.version)).toEqual([
      '1.0.0+aaaaaaaaaaaa',
      '1.1.0+bbbbbbbbbbbb',
    ]);
    expect(await sut.getVersion('iris', '1.0.0+aaaaaaaaaaaa')).toMatchObject({ state: 'uploaded' });
    expect(await sut.getVersion('iris', '9.9.9+aaaaaaaaaaaa')).toBeUndefined();
  });

  it('writes files where the layout says, a version under its encoded name', async () => {
    await sut.putVersion(version('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
    await sut.updateAliases('iris', () => ({
      stable: { versions: [{ version: 'v', weight: 100 }] },
    }));
    await sut.putBuild(build);
    await sut.setDesiredDeployment('iris', 'v', {
      name: 'iris',
      version: 'v',
      target: 'process',
      replicas: 1,
      updatedAt: 'now',
    });
    expect(await readdir(path.join(dir, 'models/iris/versions'))).toEqual([
      '1.0.0%2Baaaaaaaaaaaa.json',
    ]);
    expect((await readdir(path.join(dir, 'models/iris'))).sort()).toEqual([
      'aliases.json',
      'deployments.json',
      'versions',
    ]);
    expect(await readdir(path.join(dir, 'builds'))).toEqual(['b-1.json']);
  });

  it('sees everything a previous store wrote (a restart)', async () => {
    await sut.putVersion(version('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
    await sut.updateAliases('iris', () => ({
      stable: { versions: [{ version: 'v', weight: 100 }] },
    }));
    await sut.putBuild(build);
    await sut.setDesiredDeployment('iris', 'v', {
      name: 'iris',
      version: 'v',
      target: 'process',
      replicas: 2,
      updatedAt: 'now',
    });
    const reopened = new FileRegistryStore(dir);
    expect(await reopened.listVersions('iris')).toHaveLength(1);
    expect(await reopened.getAliases('iris')).toEqual({
      stable: { versions: [{ version: 'v', weight: 100 }] },
    });
    expect(await reopened.getBuild('b-1')).toEqual(build);
    expect(await reopened.listDesiredDeployments()).toEqual([
      expect.objectContaining({ version: 'v', replicas: 2 }),
    ]);
  });

  it('ignores what a crash mid-write left: temp files and unreadable files', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await sut.putVersion(version('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
    const versions = path.join(dir, 'models/iris/versions');
    await writeFile(path.join(versions, '1.1.0%2Bbbbbbbbbbbbb.json.0f3a.tmp'), '{"name": "ir');
    await writeFile(path.join(versions, '1.2.0%2Bcccccccccccc.json'), '{"name": "ir');
    await writeFile(path.join(dir, 'models/iris/aliases.json'), '{');
    const reopened = new FileRegistryStore(dir);
    expect((await reopened.listVersions('iris')).map((v) => v.version)).toEqual([
      '1.0.0+aaaaaaaaaaaa',
    ]);
    expect(await reopened.getAliases('iris')).toEqual({});
  });

  it('leaves no temp file behind after writes', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sut.updateAliases('iris', (aliases) => ({ ...aliases, [`a${i}`]: { versions: [] } })),
      ),
    );
    expect(Object.keys(await sut.getAliases('iris'))).toHaveLength(10);
    expect(await readdir(path.join(dir, 'models/iris'))).toEqual(['aliases.json']);
  });

  it('forgets a desired deployment', async () => {
    const desired = { name: 'iris', target: 'process' as const, replicas: 1, updatedAt: 'now' };
    await sut.setDesiredDeployment('iris', 'a', { ...desired, version: 'a' });
    await sut.setDesiredDeployment('iris', 'b', { ...desired, version: 'b' });
    await sut.setDesiredDeployment('iris', 'a', undefined);
    expect((await sut.listDesiredDeployments('iris')).map((d) => d.version)).toEqual(['b']);
  });

  it('never reads or writes outside its folder for a name that is not a model name', async () => {
    expect(await sut.listVersions('../x')).toEqual([]);
    expect(await sut.getVersion('..', 'x')).toBeUndefined();
    expect(await sut.getBuild('../../etc/passwd')).toBeUndefined();
    await expect(sut.putVersion(version('../x', '1.0.0+aaaaaaaaaaaa', 'now'))).rejects.toThrow(
      'invalid model name',
    );
    await expect(sut.updateAliases('a/b', (a) => a)).rejects.toThrow('invalid model name');
  });
});

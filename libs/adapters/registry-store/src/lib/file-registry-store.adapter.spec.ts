import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Logger } from '@nestjs/common';

import {
  buildRecord,
  registryStoreContract,
  versionRecord,
} from '../testing/registry-store-contract-suite';
import { FileRegistryStore } from './file-registry-store.adapter';

describe(FileRegistryStore.name, () => {
  registryStoreContract('as a RegistryStore', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'registry-'));
    return {
      open: () => new FileRegistryStore(dir),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  });

  describe('on disk', () => {
    let dir: string;
    let sut: FileRegistryStore;

    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'registry-'));
      sut = new FileRegistryStore(dir);
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('writes files where the layout says, a version under its encoded name', async () => {
      await sut.putVersion(versionRecord('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
      await sut.updateAliases('iris', () => ({
        stable: { versions: [{ version: 'v', weight: 100 }] },
      }));
      await sut.putBuild(buildRecord);
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

    it('ignores what a crash mid-write left: temp files and unreadable files', async () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      await sut.putVersion(versionRecord('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
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

    it('never reads or writes outside its folder for a name that is not a model name', async () => {
      await expect(
        sut.putVersion(versionRecord('../x', '1.0.0+aaaaaaaaaaaa', 'now')),
      ).rejects.toThrow('invalid model name');
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

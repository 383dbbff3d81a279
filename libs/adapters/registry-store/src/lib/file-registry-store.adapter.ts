import path from 'node:path';

import { KeyedMutex } from '@ml-run/keyed-mutex';
import type { BuildRecord, ModelOwners, ModelVersionRecord } from '@ml-run/registry-contract';

import { listDirs, listJsonFiles, readJson, writeJsonAtomic } from './json-files';
import { BUILD_ID, checkedName, MODEL_NAME } from './registry-names';
import type { Aliases, DesiredDeployment, RegistryStore } from './registry-store.port';

type DesiredByVersion = Record<string, DesiredDeployment>;

/**
 * The registry as JSON files under `<dir>` (normally `<data>/registry`):
 * `models/<name>/versions/<encoded version>.json`, `models/<name>/aliases.json`,
 * `models/<name>/deployments.json`, `models/<name>/owners.json`, `builds/<id>.json`. Every write is atomic, so a new
 * store on the same folder after a crash sees each file either before or after a write.
 */
export class FileRegistryStore implements RegistryStore {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly dir: string) {}

  async listModels(): Promise<string[]> {
    const names = (await listDirs(this.modelsDir())).filter((name) => MODEL_NAME.test(name));
    const withVersions = await Promise.all(
      names.map(async (name) => (await listJsonFiles(this.versionsDir(name))).length > 0),
    );
    return names.filter((_name, i) => withVersions[i]);
  }

  async listVersions(name: string): Promise<ModelVersionRecord[]> {
    if (!MODEL_NAME.test(name)) return [];
    const files = await listJsonFiles(this.versionsDir(name));
    const records = await Promise.all(
      files.map((file) => readJson<ModelVersionRecord>(path.join(this.versionsDir(name), file))),
    );
    return records
      .filter((record): record is ModelVersionRecord => record !== undefined)
      .sort((a, b) => a.uploadedAt.localeCompare(b.uploadedAt));
  }

  async getVersion(name: string, version: string): Promise<ModelVersionRecord | undefined> {
    if (!MODEL_NAME.test(name)) return undefined;
    return readJson<ModelVersionRecord>(this.versionFile(name, version));
  }

  async putVersion(record: ModelVersionRecord): Promise<void> {
    const file = this.versionFile(checkedName(record.name), record.version);
    return this.mutex.run(file, () => writeJsonAtomic(file, record));
  }

  async getOwners(name: string): Promise<ModelOwners | undefined> {
    if (!MODEL_NAME.test(name)) return undefined;
    return readJson<ModelOwners>(this.ownersFile(name));
  }

  async claimOwners(name: string, owners: ModelOwners): Promise<ModelOwners> {
    const file = this.ownersFile(checkedName(name));
    return this.mutex.run(file, async () => {
      const stored = await readJson<ModelOwners>(file);
      if (stored !== undefined) return stored;
      await writeJsonAtomic(file, owners);
      return owners;
    });
  }

  async getAliases(name: string): Promise<Aliases> {
    if (!MODEL_NAME.test(name)) return {};
    return (await readJson<Aliases>(this.aliasesFile(name))) ?? {};
  }

  async updateAliases(name: string, update: (current: Aliases) => Aliases): Promise<Aliases> {
    const file = this.aliasesFile(checkedName(name));
    return this.mutex.run(file, async () => {
      const current = (await readJson<Aliases>(file)) ?? {};
      const next = update(current);
      if (next !== current) await writeJsonAtomic(file, next);
      return next;
    });
  }

  async getBuild(id: string): Promise<BuildRecord | undefined> {
    if (!BUILD_ID.test(id)) return undefined;
    return readJson<BuildRecord>(this.buildFile(id));
  }

  async putBuild(record: BuildRecord): Promise<void> {
    if (!BUILD_ID.test(record.id)) throw new Error(`invalid build id ${record.id}`);
    const file = this.buildFile(record.id);
    return this.mutex.run(file, () => writeJsonAtomic(file, record));
  }

  async listDesiredDeployments(name?: string): Promise<DesiredDeployment[]> {
    const names = name === undefined ? await listDirs(this.modelsDir()) : [name];
    const lists = await Promise.all(
      names
        .filter((n) => MODEL_NAME.test(n))
        .map(async (n) =>
          Object.values((await readJson<DesiredByVersion>(this.desiredFile(n))) ?? {}),
        ),
    );
    return lists.flat();
  }

  async setDesiredDeployment(
    name: string,
    version: string,
    desired: DesiredDeployment | undefined,
  ): Promise<void> {
    const file = this.desiredFile(checkedName(name));
    return this.mutex.run(file, async () => {
      const byVersion = { ...(await readJson<DesiredByVersion>(file)) };
      if (desired === undefined) delete byVersion[version];
      else byVersion[version] = desired;
      await writeJsonAtomic(file, byVersion);
    });
  }

  private modelsDir(): string {
    return path.join(this.dir, 'models');
  }

  private versionsDir(name: string): string {
    return path.join(this.modelsDir(), name, 'versions');
  }

  // A version holds "+" (and could hold other URL-special characters): encoded, it is
  // always one safe file name.
  private versionFile(name: string, version: string): string {
    return path.join(this.versionsDir(name), `${encodeURIComponent(version)}.json`);
  }

  private aliasesFile(name: string): string {
    return path.join(this.modelsDir(), name, 'aliases.json');
  }

  private ownersFile(name: string): string {
    return path.join(this.modelsDir(), name, 'owners.json');
  }

  private desiredFile(name: string): string {
    return path.join(this.modelsDir(), name, 'deployments.json');
  }

  private buildFile(id: string): string {
    return path.join(this.dir, 'builds', `${id}.json`);
  }
}

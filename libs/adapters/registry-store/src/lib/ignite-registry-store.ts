import { Logger } from '@nestjs/common';

import { compareAndSet, type IgniteCache } from '@ml-run/ignite';
import { KeyedMutex } from '@ml-run/keyed-mutex';
import type { BuildRecord, ModelOwners, ModelVersionRecord } from '@ml-run/registry-contract';

import { BUILD_ID, checkedName, MODEL_NAME } from './registry-names';
import type { Aliases, DesiredDeployment, RegistryStore } from './registry-store.port';

/** The server-side cache (tools/services/ignite: persistent, ATOMIC, plain key-value). */
export const REGISTRY_CACHE = 'mlrun-registry';

export type IgniteRegistryStoreOptions = {
  /** Default `mlrun-registry`. */
  cacheName?: string;
  /** Put before every key; lets tests (or two registries) share a cache. Default `v1/`. */
  keyPrefix?: string;
};

type DesiredByVersion = Record<string, DesiredDeployment>;

/** What the store needs of a cache: an IgniteCache (a Map-backed fake in unit tests). */
export type RegistryCache = Pick<
  IgniteCache,
  'get' | 'getAll' | 'put' | 'putIfAbsent' | 'replaceIfEquals'
>;

/**
 * The registry in an Ignite cache, keys and JSON values as strings (see IgnitePool):
 *
 *   models                    sorted names of models with a version (index)
 *   versions/<name>           that model's versions (index)
 *   version/<name>/<version>  a ModelVersionRecord
 *   aliases/<name>            Aliases
 *   owners/<name>             ModelOwners (written once: putIfAbsent)
 *   deployed                  sorted names of models with desired deployments (index)
 *   desired/<name>            desired deployments by version
 *   build/<id>                a BuildRecord
 *
 * Why index keys, not scans: the thin client cannot filter a scan on the server, so every
 * listing would read the whole cache (build records with their logs included) over the
 * wire; an index is one get, then one getAll of exactly the records wanted. Index and
 * document updates are compare-and-set loops (putIfAbsent / replaceIfEquals), so two
 * builders never lose each other's writes, and each key is also serialized in-process.
 * Nothing is ever removed from an index. A version is indexed after its record is written,
 * so every listed version has a record; a put that failed half-way is completed by its
 * retry. A desired deployment is indexed before its document: a restarted builder must
 * never miss one (an indexed model without a document lists nothing).
 */
export class IgniteRegistryStore implements RegistryStore {
  private readonly logger = new Logger(IgniteRegistryStore.name);
  private readonly mutex = new KeyedMutex();
  private readonly cache: RegistryCache;
  private readonly prefix: string;

  constructor(
    pool: { cache(name: string): RegistryCache },
    options: IgniteRegistryStoreOptions = {},
  ) {
    this.cache = pool.cache(options.cacheName ?? REGISTRY_CACHE);
    this.prefix = options.keyPrefix ?? 'v1/';
  }

  async listModels(): Promise<string[]> {
    const names = (await this.readJson<string[]>(this.key('models'))) ?? [];
    return names.filter((name) => MODEL_NAME.test(name)).sort();
  }

  async listVersions(name: string): Promise<ModelVersionRecord[]> {
    if (!MODEL_NAME.test(name)) return [];
    const versions = (await this.readJson<string[]>(this.key(`versions/${name}`))) ?? [];
    // As the file store: in file name order (the encoded version), then by upload time.
    const ordered = [...versions].sort((a, b) => compareCodeUnits(fileName(a), fileName(b)));
    const records = await this.readAll<ModelVersionRecord>(
      ordered.map((version) => this.versionKey(name, version)),
    );
    return records.sort((a, b) => a.uploadedAt.localeCompare(b.uploadedAt));
  }

  async getVersion(name: string, version: string): Promise<ModelVersionRecord | undefined> {
    if (!MODEL_NAME.test(name)) return undefined;
    return this.readJson<ModelVersionRecord>(this.versionKey(name, version));
  }

  async putVersion(record: ModelVersionRecord): Promise<void> {
    const name = checkedName(record.name);
    await this.cache.put(this.versionKey(name, record.version), JSON.stringify(record));
    await this.addToIndex(this.key(`versions/${name}`), record.version);
    await this.addToIndex(this.key('models'), name);
  }

  async getOwners(name: string): Promise<ModelOwners | undefined> {
    if (!MODEL_NAME.test(name)) return undefined;
    return this.readJson<ModelOwners>(this.ownersKey(name));
  }

  async claimOwners(name: string, owners: ModelOwners): Promise<ModelOwners> {
    const key = this.ownersKey(checkedName(name));
    if (await this.cache.putIfAbsent(key, JSON.stringify(owners))) return owners;
    const stored = await this.readJson<ModelOwners>(key);
    // Unreadable owners are no owners to trust: the model stays the admins' (see the caller).
    return (
      stored ?? { users: [], groups: [], assignedBy: 'migration', assignedAt: owners.assignedAt }
    );
  }

  async getAliases(name: string): Promise<Aliases> {
    if (!MODEL_NAME.test(name)) return {};
    return (await this.readJson<Aliases>(this.key(`aliases/${name}`))) ?? {};
  }

  async updateAliases(name: string, update: (current: Aliases) => Aliases): Promise<Aliases> {
    const key = this.key(`aliases/${checkedName(name)}`);
    return this.mutex.run(key, () =>
      this.compareAndSet<Aliases>(key, (stored) => {
        const current = stored ?? {};
        const next = update(current);
        return { value: next, write: next !== current };
      }),
    );
  }

  async getBuild(id: string): Promise<BuildRecord | undefined> {
    if (!BUILD_ID.test(id)) return undefined;
    return this.readJson<BuildRecord>(this.key(`build/${id}`));
  }

  async putBuild(record: BuildRecord): Promise<void> {
    if (!BUILD_ID.test(record.id)) throw new Error(`invalid build id ${record.id}`);
    await this.cache.put(this.key(`build/${record.id}`), JSON.stringify(record));
  }

  async listDesiredDeployments(name?: string): Promise<DesiredDeployment[]> {
    const names =
      name === undefined ? ((await this.readJson<string[]>(this.key('deployed'))) ?? []) : [name];
    const valid = names.filter((n) => MODEL_NAME.test(n)).sort();
    const docs = await this.readAll<DesiredByVersion>(valid.map((n) => this.desiredKey(n)));
    return docs.flatMap((byVersion) => Object.values(byVersion));
  }

  async setDesiredDeployment(
    name: string,
    version: string,
    desired: DesiredDeployment | undefined,
  ): Promise<void> {
    const key = this.desiredKey(checkedName(name));
    if (desired !== undefined) await this.addToIndex(this.key('deployed'), name);
    await this.mutex.run(key, () =>
      this.compareAndSet<DesiredByVersion>(key, (stored) => {
        const byVersion = { ...stored };
        if (desired === undefined) delete byVersion[version];
        else byVersion[version] = desired;
        return { value: byVersion, write: true };
      }),
    );
  }

  /** Adds `item` to the sorted JSON list under `key` (no-op when it is there). */
  private addToIndex(key: string, item: string): Promise<unknown> {
    return this.mutex.run(key, () =>
      this.compareAndSet<string[]>(key, (stored) => {
        const items = stored ?? [];
        if (items.includes(item)) return { value: items, write: false };
        return { value: [...items, item].sort(), write: true };
      }),
    );
  }

  private compareAndSet<T>(
    key: string,
    change: (stored: T | undefined) => { value: T; write: boolean },
  ): Promise<T> {
    return compareAndSet(this.cache, key, (raw) => this.parse<T>(key, raw), change);
  }

  private async readJson<T>(key: string): Promise<T | undefined> {
    const raw = await this.cache.get(key);
    return raw === undefined ? undefined : this.parse<T>(key, raw);
  }

  /** The readable values of the keys that exist, in the order of `keys`. */
  private async readAll<T>(keys: string[]): Promise<T[]> {
    const found = await this.cache.getAll(keys);
    return keys.flatMap((key) => {
      const raw = found.get(key);
      const value = raw === undefined ? undefined : this.parse<T>(key, raw);
      return value === undefined ? [] : [value];
    });
  }

  // As the file store: an unreadable value is logged and treated as absent, never fatal.
  private parse<T>(key: string, raw: string): T | undefined {
    try {
      return JSON.parse(raw) as T;
    } catch (error) {
      this.logger.warn({ key, err: error }, 'registry entry unreadable; ignored');
      return undefined;
    }
  }

  private key(suffix: string): string {
    return `${this.prefix}${suffix}`;
  }

  private versionKey(name: string, version: string): string {
    return this.key(`version/${name}/${version}`);
  }

  private ownersKey(name: string): string {
    return this.key(`owners/${name}`);
  }

  private desiredKey(name: string): string {
    return this.key(`desired/${name}`);
  }
}

function fileName(version: string): string {
  return `${encodeURIComponent(version)}.json`;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

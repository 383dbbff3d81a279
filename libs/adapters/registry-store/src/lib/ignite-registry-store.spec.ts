import { registryStoreContract } from '../testing/registry-store-contract-suite';
import { IgniteRegistryStore, type RegistryCache } from './ignite-registry-store';

// The Ignite cache's semantics over a Map (putIfAbsent and replaceIfEquals included), so the
// contract runs without Ignite; ignite-registry-store.int-spec.ts runs it against Ignite.
class MapCache implements RegistryCache {
  readonly entries = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }
  async getAll(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const key of keys) {
      const value = this.entries.get(key);
      if (value !== undefined) found.set(key, value);
    }
    return found;
  }
  async put(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
  }
  async putIfAbsent(key: string, value: string): Promise<boolean> {
    if (this.entries.has(key)) return false;
    this.entries.set(key, value);
    return true;
  }
  async replaceIfEquals(key: string, expected: string, next: string): Promise<boolean> {
    if (this.entries.get(key) !== expected) return false;
    this.entries.set(key, next);
    return true;
  }
}

describe(IgniteRegistryStore.name, () => {
  registryStoreContract('as a RegistryStore (over a Map standing in for Ignite)', async () => {
    const cache = new MapCache();
    return {
      open: () => new IgniteRegistryStore({ cache: () => cache }),
      dispose: async () => undefined,
    };
  });

  it('keeps every key under its prefix', async () => {
    const cache = new MapCache();
    const sut = new IgniteRegistryStore({ cache: () => cache }, { keyPrefix: 'ns/v1/' });
    await sut.updateAliases('iris', () => ({}));
    await sut.setDesiredDeployment('iris', 'v', undefined);
    expect([...cache.entries.keys()].sort()).toEqual(['ns/v1/aliases/iris', 'ns/v1/desired/iris']);
  });

  it('reads the cache named mlrun-registry by default, under v1/', async () => {
    const cache = new MapCache();
    const names: string[] = [];
    const sut = new IgniteRegistryStore({ cache: (name) => (names.push(name), cache) });
    await sut.putBuild({
      id: 'b-1',
      name: 'iris',
      version: 'v',
      state: 'queued',
      steps: [],
      log: [],
      createdAt: 'now',
    });
    expect(names).toEqual(['mlrun-registry']);
    expect([...cache.entries.keys()]).toEqual(['v1/build/b-1']);
  });
});

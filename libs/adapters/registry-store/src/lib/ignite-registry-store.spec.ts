import { MemoryIgniteCache } from '@ml-run/ignite/testing';

import { registryStoreContract } from '../testing/registry-store-contract-suite';
import { IgniteRegistryStore } from './ignite-registry-store';

describe(IgniteRegistryStore.name, () => {
  registryStoreContract(
    'as a RegistryStore (over an in-memory stand-in for Ignite; the int spec runs it on Ignite)',
    async () => {
      const cache = new MemoryIgniteCache();
      return {
        open: () => new IgniteRegistryStore({ cache: () => cache }),
        dispose: async () => undefined,
      };
    },
  );

  it('keeps every key under its prefix', async () => {
    const cache = new MemoryIgniteCache();
    const sut = new IgniteRegistryStore({ cache: () => cache }, { keyPrefix: 'ns/v1/' });
    await sut.updateAliases('iris', () => ({}));
    await sut.setDesiredDeployment('iris', 'v', undefined);
    expect([...cache.entries.keys()].sort()).toEqual(['ns/v1/aliases/iris', 'ns/v1/desired/iris']);
  });

  it('reads the cache named mlrun-registry by default, under v1/', async () => {
    const cache = new MemoryIgniteCache();
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

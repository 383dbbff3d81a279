import Keyv from 'keyv';

import { runKeyvStoreSuite } from '../testing/keyv-test-suite';
import { MemoryIgniteCache } from '../testing/memory-ignite-cache';
import { IgniteKeyvStore } from './ignite-keyv-store';

describe(IgniteKeyvStore.name, () => {
  const cache = new MemoryIgniteCache();

  describe('@keyv/test-suite, on the memory Ignite double', () => {
    runKeyvStoreSuite(() => new IgniteKeyvStore(cache));
  });

  describe('beyond the suite', () => {
    beforeEach(() => cache.clear());

    it('keeps what Keyv serialized as the entry, under the namespaced key', async () => {
      await new Keyv({ store: new IgniteKeyvStore(cache), namespace: 'ns' }).set('k', { a: 1 });
      expect(JSON.parse(cache.entries.get('ns:k') ?? '')).toEqual({ value: { a: 1 } });
    });

    it('refuses a value that is not a string, naming the key', async () => {
      const keyv = new Keyv({ store: new IgniteKeyvStore(cache), throwOnErrors: true });
      keyv.on('error', () => undefined);
      keyv.serialize = undefined;
      await expect(keyv.set('k', { a: 1 })).rejects.toThrow(/"keyv:k" is not one \(object\)/);
    });

    it('answers many keys in their order, and says which exist', async () => {
      const store = new IgniteKeyvStore(cache);
      await store.set('a', '1');
      await store.set('c', '3');
      expect(await store.getMany(['c', 'b', 'a'])).toEqual(['3', undefined, '1']);
      expect(await store.hasMany(['c', 'b'])).toEqual([true, false]);
    });

    it('empties the whole cache when Keyv gives no namespace', async () => {
      await cache.put('other', 'x');
      const keyv = new Keyv({ store: new IgniteKeyvStore(cache), namespace: '' });
      await keyv.set('k', 'v');
      await keyv.clear();
      expect(cache.entries.size).toBe(0);
    });

    it('passes a failed read on when Keyv is made to throw', async () => {
      const failing = Object.assign(new MemoryIgniteCache(), {
        get: () => Promise.reject(new Error('ignite unavailable')),
      });
      const keyv = new Keyv({ store: new IgniteKeyvStore(failing), throwOnErrors: true });
      await expect(keyv.get('k')).rejects.toThrow('ignite unavailable');
    });
  });
});

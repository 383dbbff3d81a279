import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

import type { IgniteCache } from './ignite-cache';

/** What the store needs of a cache (an IgniteCache; a Map-backed double in unit tests). */
export type KeyvIgniteCache = Pick<
  IgniteCache,
  'get' | 'getAll' | 'put' | 'remove' | 'removeAll' | 'scan' | 'clear'
>;

/**
 * One Ignite cache as a Keyv 5 storage adapter (`new Keyv({ store })`, or a tier of
 * cache-manager). Values are strings, as IgnitePool keeps them: Keyv's default serializer
 * writes its `{ value, expires }` envelope as JSON text, or give Keyv a `serialize` that
 * returns a string. The thin client cannot set a per-entry expiry, so `set` ignores its
 * `ttl`: Keyv drops an entry past the envelope's `expires` when it reads it, and the
 * cache's own server-side expiry (if it has one) drops entries nobody reads.
 *
 * Errors reach Keyv as thrown IgniteErrors; Keyv swallows them unless it was made with
 * `throwOnErrors: true` (then it emits `error` and throws). An authorization decision
 * must not read an outage as "no such key": make such a Keyv with `throwOnErrors`. There is
 * no `disconnect`: the IgnitePool stays its owner's to close.
 */
export class IgniteKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  /** Keyv reads and replaces `opts` (some suites set `opts.deserialize`). */
  opts: Record<string, unknown> = {};
  /** Set by Keyv to its namespace; keys arrive already prefixed with it. */
  namespace?: string | undefined;

  constructor(private readonly cache: KeyvIgniteCache) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return (await this.cache.get(key)) as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const found = await this.cache.getAll(keys);
    return keys.map((key) => found.get(key) as StoredData<Value> | undefined);
  }

  async has(key: string): Promise<boolean> {
    return (await this.cache.get(key)) !== undefined;
  }

  async hasMany(keys: string[]): Promise<boolean[]> {
    const found = await this.cache.getAll(keys);
    return keys.map((key) => found.has(key));
  }

  async set(key: string, value: unknown): Promise<boolean> {
    await this.cache.put(key, asText(key, value));
    return true;
  }

  async setMany(entries: Array<{ key: string; value: unknown }>): Promise<void> {
    await Promise.all(entries.map(({ key, value }) => this.cache.put(key, asText(key, value))));
  }

  /** True when the key was there. */
  delete(key: string): Promise<boolean> {
    return this.cache.remove(key);
  }

  /** True when any of the keys was there (one request per key: Ignite's bulk remove says nothing). */
  async deleteMany(keys: string[]): Promise<boolean> {
    const removed = await Promise.all(keys.map((key) => this.cache.remove(key)));
    return removed.includes(true);
  }

  /**
   * With a namespace, removes that namespace's keys only (a scan of the whole cache: keep
   * it off hot paths); without one, empties the cache, for every client that shares it.
   */
  async clear(): Promise<void> {
    if (!this.namespace) return this.cache.clear();
    const mine = await this.cache.scan(`${this.namespace}:`);
    await this.cache.removeAll([...mine.keys()]);
  }
}

function asText(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  // Keyv hands objects over only when made with `serialize: undefined`.
  throw new TypeError(
    `IgniteKeyvStore stores strings; the value of ${JSON.stringify(key)} is not one ` +
      `(${typeof value}): give Keyv a serializer, e.g. its default`,
  );
}

import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter } from 'keyv';
import { LRUCache } from 'lru-cache';

/**
 * A bounded in-process Keyv store: the memory tier. Keyv's default Map grows with every
 * token ever read; this keeps the `max` most recent. Expiry is Keyv's (its envelope's
 * `expires`, checked on read), so `set` ignores the ttl Keyv passes (LRUCache.set would
 * read that number as its options object and throw).
 */
export class LruKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  opts: Record<string, unknown> = {};
  namespace?: string | undefined;
  private readonly entries: LRUCache<string, object>;

  constructor(max: number) {
    super();
    this.entries = new LRUCache({ max });
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    return this.entries.get(key) as Value | undefined;
  }

  async set(key: string, value: object): Promise<boolean> {
    this.entries.set(key, value);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }

  async has(key: string): Promise<boolean> {
    return this.entries.has(key);
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }

  /** Entries held, expired ones included until read (tests). */
  get size(): number {
    return this.entries.size;
  }
}

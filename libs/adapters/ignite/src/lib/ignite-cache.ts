import IgniteClient from 'apache-ignite-client';

import type { IgnitePool } from './ignite-pool';

const SCAN_PAGE_SIZE = 1024;

/**
 * One Ignite cache as a map of strings (values are JSON by convention: see IgnitePool).
 * Every call is one request and takes one of the pool's in-flight slots; failures are
 * IgniteError (IgniteUnavailableError when Ignite cannot be reached).
 */
export class IgniteCache {
  constructor(
    private readonly pool: IgnitePool,
    readonly name: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return asString(await this.pool.run((cache) => cache(this.name).get(key)));
  }

  /** The keys that exist, with their values. */
  async getAll(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const entries = await this.pool.run((cache) => cache(this.name).getAll([...keys]));
    return new Map(entries.map((e) => [String(e.getKey()), String(e.getValue())]));
  }

  put(key: string, value: string): Promise<void> {
    return this.pool.run((cache) => cache(this.name).put(key, value));
  }

  /** Writes only when the key is absent; true when written. */
  putIfAbsent(key: string, value: string): Promise<boolean> {
    return this.pool.run((cache) => cache(this.name).putIfAbsent(key, value));
  }

  /** Compare-and-set: writes `next` only when the stored value is exactly `expected`. */
  replaceIfEquals(key: string, expected: string, next: string): Promise<boolean> {
    return this.pool.run((cache) => cache(this.name).replaceIfEquals(key, expected, next));
  }

  /** True when the key was there. */
  remove(key: string): Promise<boolean> {
    return this.pool.run((cache) => cache(this.name).removeKey(key));
  }

  /** Removes the key only while it still holds exactly `expected`. */
  removeIfEquals(key: string, expected: string): Promise<boolean> {
    return this.pool.run((cache) => cache(this.name).removeIfEquals(key, expected));
  }

  async removeAll(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.run((cache) => cache(this.name).removeKeys([...keys]));
  }

  /** Removes every entry of the cache (for every client that shares it). */
  clear(): Promise<void> {
    return this.pool.run((cache) => cache(this.name).clear());
  }

  /**
   * Every entry whose key starts with `prefix`. A scan reads the whole cache page by page
   * (filtering happens here: the thin client cannot send a filter), so keep it off hot paths.
   */
  scan(prefix = ''): Promise<Map<string, string>> {
    return this.pool.run(async (cache) => {
      const query = new IgniteClient.ScanQuery().setPageSize(SCAN_PAGE_SIZE);
      const entries = await (await cache(this.name).query(query)).getAll();
      const found = new Map<string, string>();
      for (const entry of entries) {
        const key = String(entry.getKey());
        if (key.startsWith(prefix)) found.set(key, String(entry.getValue()));
      }
      return found;
    });
  }
}

function asString(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

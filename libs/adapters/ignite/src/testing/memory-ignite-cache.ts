import type { KeyvIgniteCache } from '../lib/ignite-keyv-store';

/**
 * An IgniteCache's string map in memory (putIfAbsent and replaceIfEquals with Ignite's
 * semantics included), for unit specs of what sits on one.
 */
export class MemoryIgniteCache implements KeyvIgniteCache {
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
    // The thin client sends strings; anything else would not survive the wire either.
    if (typeof value !== 'string') throw new TypeError(`not a string: ${typeof value}`);
    this.entries.set(key, value);
  }

  async putIfAbsent(key: string, value: string): Promise<boolean> {
    if (this.entries.has(key)) return false;
    await this.put(key, value);
    return true;
  }

  async replaceIfEquals(key: string, expected: string, next: string): Promise<boolean> {
    if (this.entries.get(key) !== expected) return false;
    await this.put(key, next);
    return true;
  }

  async remove(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }

  async removeAll(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async scan(prefix = ''): Promise<Map<string, string>> {
    return new Map([...this.entries].filter(([key]) => key.startsWith(prefix)));
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }
}

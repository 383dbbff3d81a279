import { Logger } from '@nestjs/common';

import { TokenRecordMac, type TokenStore } from '@ml-run/token-store';

import { IgniteTokenStore, type TokenCache } from './ignite-token-store';

// A Map standing in for the Ignite cache, counting reads.
class FakeCache implements TokenCache {
  readonly entries = new Map<string, string>();
  reads = 0;

  async get(key: string): Promise<string | undefined> {
    this.reads++;
    return this.entries.get(key);
  }
  async put(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
  }
  async remove(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }
  async removeIfEquals(key: string, expected: string): Promise<boolean> {
    if (this.entries.get(key) !== expected) return false;
    return this.entries.delete(key);
  }
}

const NOW = 1_800_000_000_000;
const mac = new TokenRecordMac('token-record-mac-key-for-unit-tests-0123');
const record = (exp: number) => ({ sub: 'ada', scope: ['models:read'], iat: NOW / 1000, exp });
describe(IgniteTokenStore.name, () => {
  let cache: FakeCache;
  let now: number;
  let sut: IgniteTokenStore;

  beforeEach(() => {
    cache = new FakeCache();
    now = NOW;
    sut = new IgniteTokenStore({ cache: () => cache }, { mac, now: () => now });
  });

  it('is a TokenStore', () => {
    const port: TokenStore = sut;
    expect(port).toBeInstanceOf(IgniteTokenStore);
  });

  it('stores the record as JSON under the hash and reads it back', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    expect(JSON.parse(cache.entries.get('h1') ?? '')).toEqual({
      ...record(NOW / 1000 + 60),
      mac: mac.sign('h1', record(NOW / 1000 + 60)),
    });
    expect(await sut.get('h1')).toEqual(record(NOW / 1000 + 60));
    expect(await sut.get('unknown')).toBeUndefined();
  });

  it("keeps the user's groups with the record", async () => {
    const withGroups = { ...record(NOW / 1000 + 60), groups: ['data-team'] };
    await sut.put('h1', withGroups);
    expect(JSON.parse(cache.entries.get('h1') ?? '').groups).toEqual(['data-team']);
    expect(await sut.get('h1')).toEqual(withGroups);
  });

  it('never returns a record past exp, and removes it from Ignite', async () => {
    await sut.put('h1', record(NOW / 1000 + 2));
    expect(await sut.get('h1')).toBeDefined();
    now += 2_000;
    expect(await sut.get('h1')).toBeUndefined();
    expect(cache.entries.has('h1')).toBe(false);
  });

  it('reads Ignite on every get: a revocation by another process counts at once', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    await sut.get('h1');
    cache.entries.delete('h1'); // revoked elsewhere
    expect(await sut.get('h1')).toBeUndefined();
    expect(cache.reads).toBe(2);
  });

  it('does not cache a miss: a record put by another process is found at once', async () => {
    expect(await sut.get('h1')).toBeUndefined();
    const signed = { ...record(NOW / 1000 + 60), mac: mac.sign('h1', record(NOW / 1000 + 60)) };
    cache.entries.set('h1', JSON.stringify(signed));
    expect(await sut.get('h1')).toEqual(record(NOW / 1000 + 60));
  });

  it('deletes a record and reports whether one was there', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    await sut.get('h1');
    expect(await sut.delete('h1')).toBe(true);
    expect(await sut.get('h1')).toBeUndefined();
    expect(await sut.delete('h1')).toBe(false);
  });

  // Which records the MAC refuses (another key, raised fields, another token) is
  // trustedRecord's, tested through TieredTokenStore; here: that this store applies it.
  describe('record MAC', () => {
    const admin = { sub: 'mallory', scope: ['admin'], iat: NOW / 1000, exp: NOW / 1000 + 60 };
    const store = (value: object) => cache.entries.set('h1', JSON.stringify(value));
    let warn: jest.SpyInstance;

    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });

    it('believes a record written straight into the cache with a valid MAC (control)', async () => {
      store({ ...admin, mac: mac.sign('h1', admin) });
      expect(await sut.get('h1')).toEqual(admin);
    });

    it('refuses a record written without a MAC, and logs it', async () => {
      store(admin);
      expect(await sut.get('h1')).toBeUndefined();
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ sub: 'mallory' }),
        'token record without a valid mac; treated as absent',
      );
    });
  });

  it("keeps a user's latest user-wide revocation, and reads an unreadable one as revoking all", async () => {
    expect(await sut.subjectNotBefore('bob')).toBeUndefined();
    await sut.revokeSubject('bob', 9);
    await sut.revokeSubject('bob', 5);
    expect(await sut.subjectNotBefore('bob')).toBe(9);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    cache.entries.set('subject:bob', '{"notBefore":');
    expect(await sut.subjectNotBefore('bob')).toBe(now);
  });

  it('treats an unreadable record as absent', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    cache.entries.set('h1', '{"sub":');
    expect(await sut.get('h1')).toBeUndefined();
    expect(warn).toHaveBeenCalled();
  });
});

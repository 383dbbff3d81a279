import { Logger } from '@nestjs/common';

import {
  MemoryEventBus,
  type BusEvent,
  type EventHandler,
  type EventSubscriber,
  type SubscribeOptions,
} from '@ml-run/event-bus';
import { TOKEN_EVENTS_TOPIC, type TokenEvent } from '@ml-run/token-contract';
import { TokenRecordMac, type TokenStore } from '@ml-run/token-store';

import { IgniteTokenStore, type TokenCache } from './ignite-token-store';

// A Map standing in for the Ignite cache, counting reads so L1 hits are visible.
class FakeCache implements TokenCache {
  readonly entries = new Map<string, string>();
  reads = 0;
  pendingRead: ((value: string | undefined) => void) | undefined;
  holdReads = false;

  async get(key: string): Promise<string | undefined> {
    this.reads++;
    const value = this.entries.get(key);
    if (!this.holdReads) return value;
    return new Promise((resolve) => (this.pendingRead = () => resolve(value)));
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

class FakeSubscriber implements EventSubscriber {
  handler: ((event: TokenEvent) => void | Promise<void>) | undefined;
  onGap: (() => void) | undefined;
  topic: string | undefined;
  unsubscribed = false;

  subscribe<E extends BusEvent>(
    topic: string,
    handler: EventHandler<E>,
    options?: SubscribeOptions,
  ): () => void {
    this.topic = topic;
    this.handler = handler as unknown as EventHandler<TokenEvent>;
    this.onGap = options?.onGap;
    return () => (this.unsubscribed = true);
  }
}

const NOW = 1_800_000_000_000;
const mac = new TokenRecordMac('token-record-mac-key-for-unit-tests-0123');
const record = (exp: number) => ({ sub: 'ada', scope: ['models:read'], iat: NOW / 1000, exp });
const revoked = (tokenHash: string): TokenEvent => ({
  type: 'token.revoked',
  tokenHash,
  sub: 'ada',
  revokedAt: new Date(NOW).toISOString(),
});

describe(IgniteTokenStore.name, () => {
  let cache: FakeCache;
  let now: number;
  let revocations: FakeSubscriber;
  let sut: IgniteTokenStore;

  beforeEach(() => {
    cache = new FakeCache();
    now = NOW;
    revocations = new FakeSubscriber();
    sut = new IgniteTokenStore(
      { cache: () => cache },
      { mac, l1: { maxEntries: 100, ttlMs: 5_000 }, revocations, now: () => now },
    );
  });

  it('is a TokenStore, and takes any EventSubscriber for revocations', () => {
    const subscriber: EventSubscriber = new MemoryEventBus();
    const port: TokenStore = new IgniteTokenStore(
      { cache: () => cache },
      { mac, revocations: subscriber },
    );
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

  it('answers from L1 until the L1 TTL, then reads Ignite again', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    await sut.get('h1');
    await sut.get('h1');
    expect(cache.reads).toBe(1);
    now += 5_000;
    await sut.get('h1');
    expect(cache.reads).toBe(2);
  });

  it('never returns a record past exp, from L1 or Ignite, and removes it', async () => {
    await sut.put('h1', record(NOW / 1000 + 2));
    expect(await sut.get('h1')).toBeDefined();
    now += 2_000;
    expect(await sut.get('h1')).toBeUndefined();
    expect(cache.entries.has('h1')).toBe(false);
    expect(sut.l1Size).toBe(0);
  });

  it('does not cache a miss: a record put by another process is found at once', async () => {
    expect(await sut.get('h1')).toBeUndefined();
    const signed = { ...record(NOW / 1000 + 60), mac: mac.sign('h1', record(NOW / 1000 + 60)) };
    cache.entries.set('h1', JSON.stringify(signed));
    expect(await sut.get('h1')).toEqual(record(NOW / 1000 + 60));
  });

  it('evicts L1 on delete and reports whether a record was there', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    await sut.get('h1');
    expect(await sut.delete('h1')).toBe(true);
    expect(await sut.get('h1')).toBeUndefined();
    expect(await sut.delete('h1')).toBe(false);
  });

  it('evicts a token named by a token.revoked event on the token topic', async () => {
    expect(revocations.topic).toBe(TOKEN_EVENTS_TOPIC);
    await sut.put('h1', record(NOW / 1000 + 60));
    await sut.get('h1');
    cache.entries.delete('h1'); // revoked elsewhere
    await revocations.handler?.(revoked('h1'));
    expect(await sut.get('h1')).toBeUndefined();
  });

  it('clears L1 after a gap in the event stream', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    await sut.put('h2', record(NOW / 1000 + 60));
    await Promise.all([sut.get('h1'), sut.get('h2')]);
    expect(sut.l1Size).toBe(2);
    revocations.onGap?.();
    expect(sut.l1Size).toBe(0);
  });

  it('does not let a read that overlapped a revocation refill L1', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    cache.holdReads = true;
    const reading = sut.get('h1');
    await revocations.handler?.(revoked('h1'));
    cache.pendingRead?.(undefined);
    await reading;
    expect(sut.l1Size).toBe(0);
  });

  it('shares one Ignite read between concurrent misses of one token', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    const answers = await Promise.all([sut.get('h1'), sut.get('h1'), sut.get('h1')]);
    expect(cache.reads).toBe(1);
    expect(answers.every((a) => a?.sub === 'ada')).toBe(true);
  });

  it("holds a user's revocation briefly, until a user.tokens-revoked event or its own write", async () => {
    expect(await sut.subjectNotBefore('bob')).toBeUndefined();
    expect(await sut.subjectNotBefore('bob')).toBeUndefined();
    expect(cache.reads).toBe(1);
    cache.entries.set('subject:bob', JSON.stringify({ notBefore: 5 }));
    await revocations.handler?.({
      type: 'user.tokens-revoked',
      sub: 'bob',
      notBefore: new Date(5).toISOString(),
    });
    expect(await sut.subjectNotBefore('bob')).toBe(5);
    await sut.revokeSubject('bob', 9);
    expect(await sut.subjectNotBefore('bob')).toBe(9);
    now += 5_000;
    const reads = cache.reads;
    expect(await sut.subjectNotBefore('bob')).toBe(9);
    expect(cache.reads).toBe(reads + 1);
  });

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

    it('refuses a record signed under another key', async () => {
      const other = new TokenRecordMac('someone-elses-key-0123456789abcdefghij');
      store({ ...admin, mac: other.sign('h1', admin) });
      expect(await sut.get('h1')).toBeUndefined();
    });

    it('refuses a signed record whose scope or lifetime was raised, or that moved to another token', async () => {
      const reader = { ...admin, scope: ['models:read'] };
      store({ ...reader, scope: ['admin'], mac: mac.sign('h1', reader) });
      expect(await sut.get('h1')).toBeUndefined();
      store({ ...admin, exp: admin.exp + 3600, mac: mac.sign('h1', admin) });
      expect(await sut.get('h1')).toBeUndefined();
      store({ ...admin, mac: mac.sign('h2', admin) });
      expect(await sut.get('h1')).toBeUndefined();
    });

    it('drops fields the MAC does not cover', async () => {
      store({ ...admin, mac: mac.sign('h1', admin), extra: 'ignored' });
      expect(await sut.get('h1')).toEqual(admin);
    });
  });

  it('treats an unreadable record as absent', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    cache.entries.set('h1', '{"sub":');
    expect(await sut.get('h1')).toBeUndefined();
    expect(warn).toHaveBeenCalled();
  });

  it('works without L1 (maxEntries 0): every get reads Ignite', async () => {
    const uncached = new IgniteTokenStore({ cache: () => cache }, { mac, l1: { maxEntries: 0 } });
    await uncached.put('h1', record(Date.now() / 1000 + 60));
    await uncached.get('h1');
    await uncached.get('h1');
    expect(cache.reads).toBe(2);
  });

  it('stops listening for revocations on close', () => {
    sut.close();
    expect(revocations.unsubscribed).toBe(true);
  });
});

import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { KeyvStoreAdapter } from 'keyv';

import {
  MemoryEventBus,
  type BusEvent,
  type EventHandler,
  type EventSubscriber,
  type SubscribeOptions,
} from '@ml-run/event-bus';
import { TOKEN_EVENTS_TOPIC, type TokenEvent } from '@ml-run/token-contract';

import { signedRecordText } from './signed-token-record';
import { TieredTokenStore } from './tiered-token-store';
import { TokenRecordMac } from './token-record-mac';
import type { TokenStore } from './token-store.port';

// The shared tier as a Keyv storage adapter over a Map, counting reads so L1 hits show.
class SharedTier extends EventEmitter implements KeyvStoreAdapter {
  opts = {};
  readonly entries = new Map<string, string>();
  reads = 0;
  failing: Error | undefined;
  private held: Array<() => void> | undefined;
  private arrived: (() => void) | undefined;

  async get<Value>(key: string): Promise<Value | undefined> {
    this.reads++;
    if (this.failing) throw this.failing;
    // What the store held when the read reached it, however late the answer comes.
    const value = this.entries.get(key);
    this.arrived?.();
    if (this.held) await new Promise<void>((resolve) => this.held?.push(resolve));
    return value as Value | undefined;
  }
  async set(key: string, value: string): Promise<boolean> {
    this.entries.set(key, value);
    return true;
  }
  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }
  async clear(): Promise<void> {
    this.entries.clear();
  }
  /** Resolves when the next read reaches the store. */
  nextRead(): Promise<void> {
    return new Promise((resolve) => (this.arrived = resolve));
  }
  /** Reads wait until release() (a read in flight while something else happens). */
  hold(): void {
    this.held = [];
  }
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const resume of held) resume();
  }
}

class FakeSubscriber implements EventSubscriber {
  handler: EventHandler<TokenEvent> | undefined;
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

describe(TieredTokenStore.name, () => {
  let shared: SharedTier;
  let revocations: FakeSubscriber;
  let sut: TieredTokenStore;

  beforeEach(() => {
    // Keyv and cache-manager read Date.now(): the clock moves only when a case moves it.
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    shared = new SharedTier();
    revocations = new FakeSubscriber();
    sut = new TieredTokenStore(shared, { mac, l1: { ttlMs: 5_000 }, revocations });
  });
  afterEach(() => {
    sut.close();
    jest.useRealTimers();
  });

  it('is a TokenStore, and takes any EventSubscriber for revocations', () => {
    const port: TokenStore = new TieredTokenStore(shared, {
      mac,
      revocations: new MemoryEventBus(),
    });
    expect(port).toBeInstanceOf(TieredTokenStore);
  });

  it("writes the issuer's signed record under the bare hash, and reads it back", async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    expect(shared.entries.get('h1')).toBe(signedRecordText(mac, 'h1', record(NOW / 1000 + 60)));
    expect(await sut.get('h1')).toEqual(record(NOW / 1000 + 60));
    expect(await sut.get('unknown')).toBeUndefined();
  });

  it('answers from memory until the L1 TTL, then reads the shared tier again', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    await sut.get('h1');
    await sut.get('h1');
    expect(shared.reads).toBe(1);
    jest.advanceTimersByTime(5_001);
    expect(await sut.get('h1')).toBeDefined();
    expect(shared.reads).toBe(2);
  });

  it('keeps a record in memory no longer than its token lives, not for the L1 TTL', async () => {
    await sut.put('h1', record(NOW / 1000 + 2));
    expect(await sut.get('h1')).toBeDefined();
    jest.advanceTimersByTime(2_000);
    expect(await sut.get('h1')).toBeUndefined();
    jest.advanceTimersByTime(1);
    expect(await sut.get('h1')).toBeUndefined();
    // Past exp, the memory tier had dropped it (a 5 s TTL would still hold it): a fresh read.
    expect(shared.reads).toBe(2);
  });

  it('ends a sub-second token at its exact millisecond', async () => {
    await sut.put('h1', { ...record(NOW / 1000 + 0.3), iatMs: NOW });
    jest.advanceTimersByTime(299);
    expect(await sut.get('h1')).toBeDefined();
    jest.advanceTimersByTime(1);
    expect(await sut.get('h1')).toBeUndefined();
  });

  it('does not cache a miss: a record put by another process is found at once', async () => {
    expect(await sut.get('h1')).toBeUndefined();
    shared.entries.set('h1', signedRecordText(mac, 'h1', record(NOW / 1000 + 60)));
    expect(await sut.get('h1')).toEqual(record(NOW / 1000 + 60));
  });

  it('fails the lookup when the shared tier fails, rather than answering "no such token"', async () => {
    shared.failing = new Error('ignite unavailable');
    await expect(sut.get('h1')).rejects.toThrow('ignite unavailable');
    await expect(sut.subjectNotBefore('ada')).rejects.toThrow('ignite unavailable');
  });

  it('shares one read between concurrent misses of one token', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    const answers = await Promise.all([sut.get('h1'), sut.get('h1'), sut.get('h1')]);
    expect(shared.reads).toBe(1);
    expect(answers.every((a) => a?.sub === 'ada')).toBe(true);
  });

  it('evicts memory on delete and reports whether a record was there', async () => {
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
    shared.entries.delete('h1'); // revoked elsewhere
    await revocations.handler?.(revoked('h1'));
    expect(await sut.get('h1')).toBeUndefined();
  });

  it('clears memory after a gap in the event stream', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    await sut.get('h1');
    shared.entries.delete('h1');
    revocations.onGap?.();
    expect(await sut.get('h1')).toBeUndefined();
  });

  it('does not let a read that overlapped a revocation stay in memory', async () => {
    await sut.put('h1', record(NOW / 1000 + 60));
    shared.hold();
    const arrived = shared.nextRead();
    const reading = sut.get('h1');
    await arrived;
    shared.entries.delete('h1');
    await revocations.handler?.(revoked('h1'));
    shared.release();
    // Read before the revocation, so answered as it was; but not kept.
    expect(await reading).toBeDefined();
    expect(await sut.get('h1')).toBeUndefined();
    expect(shared.reads).toBe(2);
  });

  it("holds a user's revocation briefly, until a user.tokens-revoked event or its own write", async () => {
    expect(await sut.subjectNotBefore('bob')).toBeUndefined();
    expect(await sut.subjectNotBefore('bob')).toBeUndefined();
    expect(shared.reads).toBe(1);
    shared.entries.set('subject:bob', JSON.stringify({ notBefore: 5 }));
    await revocations.handler?.({
      type: 'user.tokens-revoked',
      sub: 'bob',
      notBefore: new Date(5).toISOString(),
    });
    expect(await sut.subjectNotBefore('bob')).toBe(5);
    await sut.revokeSubject('bob', 9);
    expect(await sut.subjectNotBefore('bob')).toBe(9);
    await sut.revokeSubject('bob', 7);
    expect(await sut.subjectNotBefore('bob')).toBe(9);
    jest.advanceTimersByTime(5_001);
    const reads = shared.reads;
    expect(await sut.subjectNotBefore('bob')).toBe(9);
    expect(shared.reads).toBe(reads + 1);
  });

  it('treats an unreadable user-wide revocation as revoking everything so far', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    shared.entries.set('subject:bob', '{"notBefore":');
    expect(await sut.subjectNotBefore('bob')).toBe(NOW);
  });

  describe('record MAC', () => {
    const admin = { sub: 'mallory', scope: ['admin'], iat: NOW / 1000, exp: NOW / 1000 + 60 };
    const store = (value: object) => shared.entries.set('h1', JSON.stringify(value));
    let warn: jest.SpyInstance;

    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });

    it('believes a record written straight into the shared tier with a valid MAC (control)', async () => {
      store({ ...admin, mac: mac.sign('h1', admin) });
      expect(await sut.get('h1')).toEqual(admin);
    });

    it('refuses a record written without a MAC, logs it, and keeps it out of memory', async () => {
      store(admin);
      expect(await sut.get('h1')).toBeUndefined();
      expect(await sut.get('h1')).toBeUndefined();
      expect(shared.reads).toBe(2);
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ sub: 'mallory' }),
        'token record without a valid mac; treated as absent',
      );
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

    it('treats an unreadable record as absent', async () => {
      shared.entries.set('h1', '{"sub":');
      expect(await sut.get('h1')).toBeUndefined();
      expect(warn).toHaveBeenCalled();
    });
  });

  it('stops listening for revocations on close', () => {
    sut.close();
    expect(revocations.unsubscribed).toBe(true);
  });
});

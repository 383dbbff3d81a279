import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';
import { TOKEN_AUDIENCE } from '@ml-run/token-contract';
import { findLiveRecord, TokenRecordMac } from '@ml-run/token-store';

import { IgnitePool } from './ignite-pool';
import { IgniteTokenStore, TOKENS_CACHE } from './ignite-token-store';

// Needs the platform Ignite of tools/services/ignite/up.sh (REAL_COMPONENTS, with its login).
const ENDPOINT = REAL_COMPONENTS.igniteEndpoints;
const LOGIN = platformIgniteLogin();

const nowSeconds = () => Date.now() / 1000;
const mac = new TokenRecordMac(randomUUID() + randomUUID());
const record = (ttlSeconds: number) => ({
  sub: 'ada',
  scope: ['models:read', 'predict:iris'],
  iat: Math.floor(nowSeconds()),
  exp: nowSeconds() + ttlSeconds,
});

describe(IgniteTokenStore.name, () => {
  const run = randomUUID();
  const used: string[] = [];
  const hash = (name: string) => {
    const key = `int-spec/${run}/${name}`;
    used.push(key);
    return key;
  };
  let poolA: IgnitePool;
  let poolB: IgnitePool;
  let sut: IgniteTokenStore;
  let other: IgniteTokenStore;

  // Two pools, two stores: two processes sharing one Ignite.
  beforeAll(async () => {
    poolA = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN });
    poolB = new IgnitePool({ endpoints: [ENDPOINT], credentials: LOGIN, poolSize: 1 });
    await Promise.all([poolA.connect(), poolB.connect()]);
  });
  beforeEach(() => {
    sut = new IgniteTokenStore(poolA, { mac });
    other = new IgniteTokenStore(poolB, { mac });
  });
  afterAll(async () => {
    await poolA.cache(TOKENS_CACHE).removeAll(used);
    poolA.close();
    poolB.close();
  });

  it("shares a user's latest user-wide revocation with every process", async () => {
    const sub = `int-spec-${run}`;
    used.push(`subject:${sub}`);
    expect(await other.subjectNotBefore(sub)).toBeUndefined();
    await sut.revokeSubject(sub, 5_000);
    await other.revokeSubject(sub, 4_000);
    expect(await other.subjectNotBefore(sub)).toBe(5_000);
    expect(await sut.subjectNotBefore(sub)).toBe(5_000);
  });

  it('keeps the precise issue time of a record', async () => {
    const h = hash('precise');
    const r = { ...record(600), iatMs: Date.now() };
    await sut.put(h, r);
    expect(await other.get(h)).toEqual(r);
  });

  it('puts, gets and deletes a record', async () => {
    const h = hash('a');
    const r = record(600);
    await sut.put(h, r);
    expect(await sut.get(h)).toEqual(r);
    expect(await sut.delete(h)).toBe(true);
    expect(await sut.get(h)).toBeUndefined();
    expect(await sut.delete(h)).toBe(false);
  });

  it("sees another process's put at once (no negative caching)", async () => {
    const h = hash('b');
    expect(await sut.get(h)).toBeUndefined();
    await other.put(h, record(600));
    expect(await sut.get(h)).toMatchObject({ sub: 'ada' });
    expect(await other.get(h)).toMatchObject({ sub: 'ada' });
  });

  it('stops returning a record at its exp, and removes it from Ignite', async () => {
    const h = hash('c');
    await sut.put(h, record(1.2));
    expect(await sut.get(h)).toBeDefined();
    await sleep(1_300);
    expect(await sut.get(h)).toBeUndefined();
    expect(await poolA.cache(TOKENS_CACHE).get(h)).toBeUndefined();
  });

  // exp as the issuer writes it for a lifetime in milliseconds: up to 3 decimals.
  const recordUntil = (expMs: number) => {
    const iatMs = Date.now();
    return { ...record(0), iat: Math.floor(iatMs / 1000), exp: expMs / 1000, iatMs };
  };

  it('keeps an exp with milliseconds exactly, its MAC verified by another process', async () => {
    const h = hash('exp-ms');
    const expMs = Date.now() + 600_123;
    const r = recordUntil(expMs);
    await sut.put(h, r);
    expect((await poolA.cache(TOKENS_CACHE).get(h)) ?? '').toContain(`"exp":${expMs / 1000},`);
    const read = await other.get(h);
    expect(read).toEqual(r);
    expect((read?.exp ?? 0) * 1000).toBe(expMs);
  });

  it('ends a sub-second token at its exp', async () => {
    const h = hash('sub-second');
    const expMs = Date.now() + 300;
    await sut.put(h, recordUntil(expMs));
    // Asserted only once exp has passed: how soon the reads above ran is up to the machine.
    await sleep(Math.max(0, expMs - Date.now()) + 20);
    expect(await sut.get(h)).toBeUndefined();
    expect(await other.get(h)).toBeUndefined();
  });

  it('stores the record as JSON, readable by any client', async () => {
    const h = hash('e');
    const r = record(600);
    await sut.put(h, r);
    expect(JSON.parse((await poolA.cache(TOKENS_CACHE).get(h)) ?? '')).toEqual({
      ...r,
      mac: mac.sign(h, r),
    });
  });

  // Anyone who can write mlrun-tokens (a model, before the clusters were split) plays the
  // attacker: an admin record for a token of their own, put straight into the cache.
  describe('a record written straight into mlrun-tokens', () => {
    const admin = () => ({
      sub: 'mallory',
      scope: ['admin'],
      iat: Math.floor(nowSeconds()),
      exp: Math.floor(nowSeconds()) + 600,
      aud: TOKEN_AUDIENCE,
    });
    const putRaw = (h: string, value: object) =>
      poolB.cache(TOKENS_CACHE).put(h, JSON.stringify(value));

    it('is believed when it carries a valid MAC (control: the attack path works)', async () => {
      const h = hash('forged-control');
      await putRaw(h, { ...admin(), mac: mac.sign(h, admin()) });
      expect(await findLiveRecord(sut, h)).toMatchObject({ sub: 'mallory', scope: ['admin'] });
    });

    it('is refused without a MAC', async () => {
      const h = hash('forged-bare');
      await putRaw(h, admin());
      expect(await findLiveRecord(sut, h)).toBeUndefined();
    });

    it('is refused with a MAC under another key', async () => {
      const h = hash('forged-other-key');
      const guess = new TokenRecordMac('an-attackers-own-key-0123456789abcdef');
      await putRaw(h, { ...admin(), mac: guess.sign(h, admin()) });
      expect(await findLiveRecord(sut, h)).toBeUndefined();
    });

    it('is refused when a valid record was given a higher scope', async () => {
      const h = hash('forged-raised');
      const reader = { ...admin(), scope: ['models:read'] };
      await putRaw(h, { ...reader, scope: ['admin'], mac: mac.sign(h, reader) });
      expect(await findLiveRecord(sut, h)).toBeUndefined();
    });
  });
});

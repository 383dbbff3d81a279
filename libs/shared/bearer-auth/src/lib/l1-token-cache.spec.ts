import { L1TokenCache } from './l1-token-cache';

describe(L1TokenCache.name, () => {
  const settings = { maxEntries: 10, ttlMs: 60_000, negativeTtlMs: 2_000 };

  it('keeps an active answer fresh for the L1 TTL, then stale', () => {
    const sut = new L1TokenCache(settings);
    sut.rememberActive('h', 'ada', ['predict:*'], 1_000_000, 0);
    expect(sut.lookup('h', 59_999).state).toBe('fresh');
    expect(sut.lookup('h', 60_000).state).toBe('stale');
  });

  it('never keeps an answer fresh past the token expiry', () => {
    const sut = new L1TokenCache(settings);
    sut.rememberActive('h', 'ada', ['predict:*'], 5_000, 0);
    expect(sut.lookup('h', 4_999).state).toBe('fresh');
    expect(sut.lookup('h', 5_000).state).toBe('stale');
  });

  it('caches an inactive answer briefly', () => {
    const sut = new L1TokenCache(settings);
    sut.rememberInactive('h', 0);
    expect(sut.lookup('h', 1_999)).toEqual({
      state: 'fresh',
      answer: expect.objectContaining({ active: false }),
    });
    expect(sut.lookup('h', 2_000).state).toBe('stale');
  });

  it('misses unknown tokens', () => {
    expect(new L1TokenCache(settings).lookup('nope', 0)).toEqual({ state: 'miss' });
  });

  it('does not let an answer that raced a revocation bring the token back', () => {
    const sut = new L1TokenCache(settings);
    sut.rememberActive('h', 'ada', ['predict:*'], 1_000_000, 0);
    expect(sut.revoke('h', 10)).toBe(true);
    sut.rememberActive('h', 'ada', ['predict:*'], 1_000_000, 20);
    expect(sut.lookup('h', 30)).toEqual({
      state: 'fresh',
      answer: expect.objectContaining({ active: false, revoked: true }),
    });
  });

  it('holds at most maxEntries known tokens, dropping the least recently used', () => {
    const sut = new L1TokenCache({ ...settings, maxEntries: 2 });
    sut.rememberActive('a', 'ada', [], 1_000_000, 0);
    sut.rememberActive('b', 'bob', [], 1_000_000, 0);
    sut.lookup('a', 0);
    sut.rememberActive('c', 'cy', [], 1_000_000, 0);
    expect([sut.lookup('a', 0).state, sut.lookup('b', 0).state, sut.size]).toEqual([
      'fresh',
      'miss',
      2,
    ]);
  });

  // An attacker sending random tokens makes the wrapper remember each as unknown.
  it('keeps every good entry however many unknown tokens arrive', () => {
    const sut = new L1TokenCache(settings);
    for (let i = 0; i < 10; i++) sut.rememberActive(`good-${i}`, 'ada', [], 1_000_000, 0);
    for (let i = 0; i < 10_000; i++) sut.rememberInactive(`random-${i}`, 0);
    for (let i = 0; i < 10; i++) expect(sut.lookup(`good-${i}`, 0).state).toBe('fresh');
    expect(sut.size).toBeLessThanOrEqual(10 + 3);
    expect(sut.lookup('random-9999', 0).state).toBe('fresh');
  });

  it("marks every cached token of a user revoked, and no one else's", () => {
    const sut = new L1TokenCache(settings);
    sut.rememberActive('bob-1', 'bob', [], 1_000_000, 0, 1_000);
    sut.rememberActive('bob-2', 'bob', [], 1_000_000, 0);
    sut.rememberActive('bob-new', 'bob', [], 1_000_000, 0, 6_000);
    sut.rememberActive('ada-1', 'ada', [], 1_000_000, 0, 1_000);
    expect(sut.revokeSubject('bob', 5_000, 10)).toBe(2);
    expect(sut.lookup('bob-new', 20)).toMatchObject({ state: 'fresh', answer: { active: true } });
    expect(sut.lookup('bob-1', 20)).toMatchObject({ state: 'fresh', answer: { active: false } });
    expect(sut.lookup('bob-2', 20)).toMatchObject({ state: 'fresh', answer: { active: false } });
    expect(sut.lookup('ada-1', 20)).toMatchObject({ state: 'fresh', answer: { active: true } });
  });

  it('forgets a token as unknown once it is seen active', () => {
    const sut = new L1TokenCache(settings);
    sut.rememberInactive('h', 0);
    sut.rememberActive('h', 'ada', [], 1_000_000, 1);
    expect(sut.lookup('h', 2)).toMatchObject({ answer: { active: true } });
    expect(sut.size).toBe(1);
  });

  it('caches nothing when maxEntries is 0', () => {
    const sut = new L1TokenCache({ ...settings, maxEntries: 0 });
    sut.rememberActive('h', 'ada', ['predict:*'], 1_000_000, 0);
    expect(sut.lookup('h', 0)).toEqual({ state: 'miss' });
  });
});

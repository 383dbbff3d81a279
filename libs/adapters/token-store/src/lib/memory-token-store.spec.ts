import { MemoryTokenStore } from './memory-token-store';

describe(MemoryTokenStore.name, () => {
  let now = 1_000_000; // ms
  let sut: MemoryTokenStore;
  const record = { sub: 'ada', scope: ['predict:iris'], iat: 1000, exp: 1060 };

  beforeEach(() => {
    now = 1_000_000;
    sut = new MemoryTokenStore(() => now);
  });
  afterEach(() => sut.close());

  it('returns a record until its token expires', async () => {
    await sut.put('h1', record);
    now = 1_059_999;
    expect(await sut.get('h1')).toEqual(record);
    now = 1_060_000;
    expect(await sut.get('h1')).toBeUndefined();
    expect(sut.size).toBe(0);
  });

  it('ends a sub-second token at its exact millisecond', async () => {
    const short = { ...record, exp: 1000.3, iatMs: 1_000_000 };
    await sut.put('h1', short);
    now = 1_000_299;
    expect(await sut.get('h1')).toEqual(short);
    now = 1_000_300;
    expect(await sut.get('h1')).toBeUndefined();
  });

  it('forgets a deleted record and says whether it existed', async () => {
    await sut.put('h1', record);
    expect(await sut.delete('h1')).toBe(true);
    expect(await sut.delete('h1')).toBe(false);
    expect(await sut.get('h1')).toBeUndefined();
  });

  it('keeps its own copy of the scopes', async () => {
    const scope = ['predict:iris'];
    await sut.put('h1', { ...record, scope });
    scope.push('admin');
    expect((await sut.get('h1'))?.scope).toEqual(['predict:iris']);
  });

  it('keeps the latest user-wide revocation of each user, and none for others', async () => {
    expect(await sut.subjectNotBefore('bob')).toBeUndefined();
    await sut.revokeSubject('bob', 5_000);
    await sut.revokeSubject('bob', 4_000);
    expect(await sut.subjectNotBefore('bob')).toBe(5_000);
    expect(await sut.subjectNotBefore('ada')).toBeUndefined();
  });
});

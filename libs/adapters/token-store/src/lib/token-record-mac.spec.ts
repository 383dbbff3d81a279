import { TOKEN_MAC_KEY_MIN_LENGTH, TokenRecordMac } from './token-record-mac';

const KEY = 'k'.repeat(TOKEN_MAC_KEY_MIN_LENGTH);
const record = { sub: 'ada', scope: ['models:read'], iat: 1, exp: 2, aud: 'ml-run' };

describe(TokenRecordMac.name, () => {
  const sut = new TokenRecordMac(KEY);

  it('refuses a key shorter than 32 characters', () => {
    expect(() => new TokenRecordMac('k'.repeat(TOKEN_MAC_KEY_MIN_LENGTH - 1))).toThrow(/32/);
  });

  it('verifies its own MAC, and one record has one MAC whatever its key order', () => {
    const mac = sut.sign('h', record);
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
    expect(sut.verify('h', record, mac)).toBe(true);
    const reordered = { exp: 2, aud: 'ml-run', iat: 1, scope: ['models:read'], sub: 'ada' };
    expect(sut.sign('h', reordered)).toBe(mac);
  });

  it.each([
    ['the hash', 'h2', record],
    ['the subject', 'h', { ...record, sub: 'bob' }],
    ['the scope', 'h', { ...record, scope: ['admin'] }],
    ['the groups', 'h', { ...record, groups: ['admins'] }],
    ['the expiry', 'h', { ...record, exp: 3 }],
    ['the issue time in ms', 'h', { ...record, iatMs: 1000 }],
    ['the audience', 'h', { ...record, aud: undefined }],
  ])('refuses the MAC once %s changed', (_what, hash, changed) => {
    expect(sut.verify(hash, changed, sut.sign('h', record))).toBe(false);
  });

  it('covers a sub-second exp to the millisecond, also after a JSON round trip', () => {
    const short = {
      ...record,
      iat: 1_764_327_600,
      exp: 1_764_327_600.423,
      iatMs: 1_764_327_600_123,
    };
    const mac = sut.sign('h', short);
    expect(sut.verify('h', JSON.parse(JSON.stringify(short)), mac)).toBe(true);
    expect(sut.verify('h', { ...short, exp: 1_764_327_600.424 }, mac)).toBe(false);
    expect(sut.verify('h', { ...short, exp: 1_764_327_601 }, mac)).toBe(false);
  });

  it.each([undefined, 42, '', 'zz', 'A'.repeat(64)])('refuses a malformed MAC %p', (mac) => {
    expect(sut.verify('h', record, mac)).toBe(false);
  });

  it('refuses the MAC of another key', () => {
    const other = new TokenRecordMac('o'.repeat(TOKEN_MAC_KEY_MIN_LENGTH));
    expect(sut.verify('h', record, other.sign('h', record))).toBe(false);
  });
});

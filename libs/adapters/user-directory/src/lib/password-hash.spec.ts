import { dummyPasswordHash, hashPassword, isPasswordHash, verifyPassword } from './password-hash';

const FAST = { N: 1024, r: 8, p: 1 };

describe(hashPassword.name, () => {
  it('encodes scrypt parameters, a 16-byte salt and a 32-byte key', async () => {
    const sut = await hashPassword('correct horse battery', FAST);
    const [scheme, n, r, p, salt, key] = sut.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password', FAST)).not.toBe(
      await hashPassword('same password', FAST),
    );
  });

  it('uses N=32768, r=8, p=1 by default', async () => {
    expect(await hashPassword('correct horse battery')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });
});

describe(verifyPassword.name, () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery', FAST);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
  });

  it('matches no password against the dummy hash', async () => {
    expect(await verifyPassword(dummyPasswordHash(FAST), '')).toBe(false);
  });

  it.each([
    'plain',
    'scrypt$1000$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5',
    'scrypt$1024$64$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5',
    'scrypt$1024$8$1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5',
  ])('refuses the malformed or out-of-bounds hash %p', async (hash) => {
    expect(isPasswordHash(hash)).toBe(false);
    expect(await verifyPassword(hash, 'anything at all')).toBe(false);
  });
});

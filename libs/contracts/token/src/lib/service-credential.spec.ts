import { bearerCredential, ServiceCredential } from './service-credential';

const SECRET = 'Zk3v9QpL0m2xR7tY4wB8nC1dF6gH5jK0';

describe(ServiceCredential.name, () => {
  const sut = new ServiceCredential(SECRET);

  it('matches the secret it was made with', () => {
    expect(sut.matches(SECRET)).toBe(true);
  });

  it.each([
    ['a credential differing in the last character', `${SECRET.slice(0, -1)}1`],
    ['a credential differing in the first character', `a${SECRET.slice(1)}`],
    ['a prefix of the secret', SECRET.slice(0, 16)],
    ['the secret with more appended', `${SECRET}x`],
    ['an empty credential', ''],
    ['the secret in another case', SECRET.toLowerCase()],
  ])('refuses %s without throwing', (_what, presented) => {
    expect(() => sut.matches(presented)).not.toThrow();
    expect(sut.matches(presented)).toBe(false);
  });

  it('does not keep the secret itself', () => {
    expect(JSON.stringify(Object.values(sut))).not.toContain(SECRET);
  });
});

describe(bearerCredential.name, () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer  abc ', 'abc'],
  ])('reads %p as %p', (header, expected) => {
    expect(bearerCredential(header)).toBe(expected);
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearerabc'])(
    'finds no credential in %p',
    (header) => {
      expect(bearerCredential(header)).toBeUndefined();
    },
  );
});

import {
  bearerCredential,
  credentialDigest,
  digestOfSetting,
  isCredentialDigest,
  SERVICE_CREDENTIAL_VARIABLES,
  SERVICE_ROLES,
  ServiceCredential,
  ServiceCredentials,
} from './service-credential';

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

describe('a credential given as its digest', () => {
  const sut = new ServiceCredential(credentialDigest(SECRET));

  it('matches the secret, so a verifying service need not hold the secret itself', () => {
    expect(isCredentialDigest(credentialDigest(SECRET))).toBe(true);
    expect(sut.matches(SECRET)).toBe(true);
  });

  it('is what a setting hands on, whether it was the credential or its digest', () => {
    expect(digestOfSetting(SECRET)).toBe(credentialDigest(SECRET));
    expect(digestOfSetting(credentialDigest(SECRET))).toBe(credentialDigest(SECRET));
  });

  it('does not match the digest presented as a credential', () => {
    expect(sut.matches(credentialDigest(SECRET))).toBe(false);
  });

  it('reads a malformed digest as a plain secret', () => {
    const short = `sha256:${'a'.repeat(63)}`;
    expect(isCredentialDigest(short)).toBe(false);
    expect(new ServiceCredential(short).matches(short)).toBe(true);
  });
});

describe(ServiceCredentials.name, () => {
  const METRICS = 'metrics-credential-0123456789abcdef';
  const sut = new ServiceCredentials({ 'route-table': SECRET, metrics: credentialDigest(METRICS) });

  it('names the role a credential belongs to, among the roles a door accepts', () => {
    expect(sut.roleOf(SECRET, ['route-table'])).toBe('route-table');
    expect(sut.roleOf(METRICS, ['metrics', 'route-table'])).toBe('metrics');
  });

  it("refuses another role's credential at a door, even one this service holds", () => {
    expect(sut.roleOf(SECRET, ['metrics'])).toBeUndefined();
    expect(sut.roleOf(METRICS, ['route-table', 'registry-read'])).toBeUndefined();
  });

  it('opens a role it was given no credential for to no one', () => {
    expect(sut.has('introspection')).toBe(false);
    expect(sut.roleOf('', ['introspection'])).toBeUndefined();
    expect(sut.roleOf(undefined, ['route-table'])).toBeUndefined();
  });

  it('names a variable for every role', () => {
    expect(SERVICE_ROLES.map((role) => SERVICE_CREDENTIAL_VARIABLES[role])).toEqual([
      'MLRUN_INTROSPECTION_TOKEN',
      'MLRUN_ROUTE_TABLE_TOKEN',
      'MLRUN_REGISTRY_READ_TOKEN',
      'MLRUN_METRICS_TOKEN',
    ]);
  });
});

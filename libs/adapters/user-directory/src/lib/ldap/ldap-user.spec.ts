import { resolveLdapOptions } from './ldap-options';
import { isPlausibleLdapUsername, toDirectoryUser } from './ldap-user';

const OPTIONS = resolveLdapOptions({
  url: 'ldap://127.0.0.1:3890',
  bindDN: 'cn=admin,dc=mlrun,dc=test',
  bindCredentials: 'secret',
  searchBase: 'ou=people,dc=mlrun,dc=test',
  groupSearchBase: 'ou=groups,dc=mlrun,dc=test',
});

const entry = (groups: unknown[], uid: unknown = 'alice') => ({
  dn: 'uid=alice,ou=people,dc=mlrun,dc=test',
  uid,
  _groups: groups,
});

describe(isPlausibleLdapUsername.name, () => {
  it.each(['alice', 'first.last', 'jane_doe-2', 'José', 'Ada Lovelace', 'a'.repeat(256)])(
    'accepts %j',
    (username) => {
      expect(isPlausibleLdapUsername(username)).toBe(true);
    },
  );

  it.each([
    ['', 'empty'],
    ['a'.repeat(257), 'too long'],
    ['*', 'a wildcard'],
    ['*)(uid=*', 'filter syntax'],
    ['alice)(|(uid=*', 'filter syntax'],
    ['alice*', 'a wildcard'],
    ['ali\\2ace', 'an escape'],
    ['alice\u0000', 'NUL'],
    ['alice\n', 'a newline'],
    ['al\tice', 'a tab'],
    ['al\u00adice', 'a soft hyphen, which LDAP ignores'],
    ['al\u200bice', 'a zero-width space'],
    ['al\u00a0ice', 'a no-break space'],
    ['\uff41lice', 'a full-width letter (not NFKC)'],
    [' alice', 'a leading space'],
    ['alice ', 'a trailing space'],
    ['ada  lovelace', 'a double space'],
    ['\ud800', 'a lone surrogate'],
  ])('refuses %j (%s)', (username) => {
    expect(isPlausibleLdapUsername(username)).toBe(false);
  });
});

describe(toDirectoryUser.name, () => {
  it('maps known groups to their scopes, union in first-seen order, ignoring others', () => {
    const groups = [
      { dn: 'cn=staff,ou=groups', cn: 'staff' },
      { dn: 'cn=mlrun-predictors,ou=groups', cn: 'mlrun-predictors' },
      { dn: 'cn=mlrun-publishers,ou=groups', cn: ['mlrun-publishers', 'publishers'] },
    ];
    expect(toDirectoryUser(entry(groups), 'alice', OPTIONS)).toEqual({
      username: 'alice',
      groups: ['mlrun-predictors', 'mlrun-publishers'],
      scopes: ['predict:*', 'models:write:*'],
    });
  });

  it('matches group cns without case and names them as configured', () => {
    const sut = toDirectoryUser(
      entry([{ cn: 'MLRUN-Admins' }, { cn: 'mlrun-admins' }]),
      'alice',
      OPTIONS,
    );
    expect(sut).toEqual({ username: 'alice', groups: ['mlrun-admins'], scopes: ['admin'] });
  });

  it('grants nothing to a user in no mapped group', () => {
    expect(toDirectoryUser(entry([]), 'alice', OPTIONS)).toEqual({
      username: 'alice',
      groups: [],
      scopes: [],
    });
    expect(toDirectoryUser({ dn: 'uid=alice' }, 'alice', OPTIONS).groups).toEqual([]);
  });

  it('names the user as the entry spells the username attribute', () => {
    expect(toDirectoryUser(entry([]), 'ALICE', OPTIONS).username).toBe('alice');
    expect(toDirectoryUser(entry([], ['ali', 'alice']), 'Alice', OPTIONS).username).toBe('alice');
    expect(toDirectoryUser({ dn: 'x', UID: 'alice' }, 'Alice', OPTIONS).username).toBe('alice');
    expect(toDirectoryUser({ dn: 'x' }, 'alice', OPTIONS).username).toBe('alice');
  });
});

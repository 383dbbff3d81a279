import { UserDirectoryErrorCode } from '../user-directory.errors';
import {
  checkGroupScopes,
  DEFAULT_LDAP_GROUP_SCOPES,
  resolveLdapOptions,
  usernameAttributeOf,
  type LdapUserDirectoryOptions,
} from './ldap-options';

const OPTIONS: LdapUserDirectoryOptions = {
  url: 'ldaps://ldap.example.com:636',
  bindDN: 'uid=ml-run,ou=services,dc=example,dc=org',
  bindCredentials: 'service-secret',
  searchBase: 'ou=people,dc=example,dc=org',
  groupSearchBase: 'ou=groups,dc=example,dc=org',
};
const INVALID = { code: UserDirectoryErrorCode.LdapOptionsInvalid };

describe(resolveLdapOptions.name, () => {
  it('fills in the default filters, timeouts and group mapping', () => {
    const sut = resolveLdapOptions(OPTIONS);
    expect(sut).toMatchObject({
      searchFilter: '(uid={{username}})',
      groupSearchFilter: '(member={{dn}})',
      timeoutMs: 5000,
      connectTimeoutMs: 5000,
      usernameAttribute: 'uid',
    });
    expect([...sut.groups.values()]).toEqual([
      { name: 'mlrun-admins', scopes: ['admin'] },
      { name: 'mlrun-publishers', scopes: ['models:write:*', 'predict:*'] },
      { name: 'mlrun-predictors', scopes: ['predict:*'] },
    ]);
  });

  it('keys groups by lower-case cn, keeping the configured spelling as the name', () => {
    const sut = resolveLdapOptions({ ...OPTIONS, groupScopes: { 'ML-Users': ['predict:iris'] } });
    expect(sut.groups.get('ml-users')).toEqual({ name: 'ML-Users', scopes: ['predict:iris'] });
  });

  it('bounds connecting by timeoutMs unless told otherwise', () => {
    expect(resolveLdapOptions({ ...OPTIONS, timeoutMs: 800 }).connectTimeoutMs).toBe(800);
    expect(
      resolveLdapOptions({ ...OPTIONS, timeoutMs: 800, connectTimeoutMs: 200 }).connectTimeoutMs,
    ).toBe(200);
  });

  it.each([
    [{ url: 'http://ldap.example.com' }, 'url must be ldap://host[:port] or ldaps://host[:port]'],
    [{ url: 'ldap://ldap.example.com/dc=x' }, 'url must be'],
    [{ bindDN: ' ' }, 'bindDN must not be empty'],
    [{ bindCredentials: '' }, 'bindCredentials must not be empty'],
    [{ searchBase: '' }, 'searchBase must not be empty'],
    [{ groupSearchBase: '' }, 'groupSearchBase must not be empty'],
    [{ searchFilter: '(objectClass=person)' }, 'searchFilter must compare an attribute'],
    [{ groupSearchFilter: '(member=x)' }, 'groupSearchFilter must contain {{dn}}'],
    [{ timeoutMs: 0 }, 'timeoutMs must be an integer between 1 and 120000'],
    [{ connectTimeoutMs: 1.5 }, 'connectTimeoutMs must be an integer'],
  ])('refuses %j', (change, message) => {
    expect(() => resolveLdapOptions({ ...OPTIONS, ...change })).toThrow(
      expect.objectContaining({ ...INVALID, message: expect.stringContaining(message) }),
    );
  });

  it('never puts the bind password in an error', () => {
    try {
      resolveLdapOptions({ ...OPTIONS, url: 'nope' });
    } catch (error) {
      expect(String(error)).not.toContain('service-secret');
    }
    expect.assertions(1);
  });
});

describe(usernameAttributeOf.name, () => {
  it.each([
    ['(uid={{username}})', 'uid'],
    ['(&(objectClass=user)(sAMAccountName={{username}}))', 'sAMAccountName'],
    ['(|(mail={{username}})(uid={{username}}))', 'mail'],
  ])('finds the attribute %s compares with the username', (filter, attribute) => {
    expect(usernameAttributeOf(filter)).toBe(attribute);
  });
});

describe(checkGroupScopes.name, () => {
  it('accepts the default mapping', () => {
    expect(checkGroupScopes(DEFAULT_LDAP_GROUP_SCOPES)).toEqual({
      'mlrun-admins': ['admin'],
      'mlrun-publishers': ['models:write:*', 'predict:*'],
      'mlrun-predictors': ['predict:*'],
    });
  });

  it('reads the deprecated global models:write as models:write:*', () => {
    expect(checkGroupScopes({ pubs: ['models:write', 'predict:*'] })).toEqual({
      pubs: ['models:write:*', 'predict:*'],
    });
  });

  it.each([
    [[], 'groupScopes must be an object'],
    [null, 'groupScopes must be an object'],
    [{ '': ['admin'] }, 'empty group cn'],
    [{ a: 'admin' }, 'groupScopes.a must be an array of scopes'],
    [{ a: ['admin', 'predict:Iris'] }, 'groupScopes.a.1 is not a scope'],
    [{ a: [7] }, 'groupScopes.a.0 is not a scope'],
    [{ Admins: ['admin'], admins: [] }, 'names group admins twice'],
  ])('refuses %j, saying what is wrong', (value, message) => {
    expect(() => checkGroupScopes(value)).toThrow(
      expect.objectContaining({ ...INVALID, message: expect.stringContaining(message) }),
    );
  });
});

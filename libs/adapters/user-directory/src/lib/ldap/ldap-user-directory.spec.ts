import { UserDirectoryErrorCode } from '../user-directory.errors';
import { LdapUserDirectory } from './ldap-user-directory';

// Port 1 on loopback: any attempt to contact LDAP would fail as DIRECTORY_UNAVAILABLE, so
// an undefined answer proves the directory was never asked.
const OPTIONS = {
  url: 'ldap://127.0.0.1:1',
  bindDN: 'cn=admin,dc=mlrun,dc=test',
  bindCredentials: 'secret',
  searchBase: 'ou=people,dc=mlrun,dc=test',
  groupSearchBase: 'ou=groups,dc=mlrun,dc=test',
  timeoutMs: 1000,
};

describe(LdapUserDirectory.name, () => {
  let sut: LdapUserDirectory;

  beforeEach(() => {
    sut = new LdapUserDirectory(OPTIONS);
  });
  afterEach(() => sut.close());

  it('answers undefined for an empty password without asking LDAP', async () => {
    expect(await sut.authenticate('alice', '')).toBeUndefined();
  });

  it.each(['', '*', '*)(uid=*', 'alice)(|(uid=*', 'alice*', 'alice\u0000', 'a'.repeat(300)])(
    'answers undefined for the implausible username %j without asking LDAP',
    async (username) => {
      expect(await sut.authenticate(username, 'alice-password-123')).toBeUndefined();
    },
  );

  it('refuses options that would not work, before any login', () => {
    expect(() => new LdapUserDirectory({ ...OPTIONS, bindCredentials: '' })).toThrow(
      expect.objectContaining({ code: UserDirectoryErrorCode.LdapOptionsInvalid }),
    );
  });

  it('refuses logins once closed', async () => {
    await sut.close();
    await expect(sut.authenticate('alice', 'alice-password-123')).rejects.toMatchObject({
      code: UserDirectoryErrorCode.DirectoryUnavailable,
      message: expect.stringContaining('closed'),
    });
  });

  it('offers read-only administration: the configured groups, no user list, no add or remove', async () => {
    const admin = new LdapUserDirectory({
      ...OPTIONS,
      groupScopes: { 'ml-ops': ['admin'], 'data-science': ['models:write', 'predict:*'] },
    }).admin;
    expect(admin.managedBy).toBe('ldap');
    expect(await admin.listGroups()).toEqual([
      { name: 'data-science', scopes: ['models:write:*', 'predict:*'] },
      { name: 'ml-ops', scopes: ['admin'] },
    ]);
    expect(await admin.listUsers()).toBeUndefined();
    expect(admin.addUser).toBeUndefined();
    expect(admin.removeUser).toBeUndefined();
  });
});

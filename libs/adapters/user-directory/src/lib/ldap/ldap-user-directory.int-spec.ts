import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import passport from 'passport';
import Strategy from 'passport-ldapauth';

import { UserDirectoryErrorCode } from '../user-directory.errors';
import type { LdapUserDirectoryOptions } from './ldap-options';
import { LdapUserDirectory } from './ldap-user-directory';

// The test directory of tools/services/slapd (README there); fixtures, not secrets.
const ROOT = path.resolve(__dirname, '../../../../../..');
const SLAPD = path.join(ROOT, 'tools/services/slapd');
const OPTIONS: LdapUserDirectoryOptions = {
  url: 'ldap://127.0.0.1:3890',
  bindDN: 'cn=admin,dc=mlrun,dc=test',
  bindCredentials: 'mlrun-admin-password',
  searchBase: 'ou=people,dc=mlrun,dc=test',
  groupSearchBase: 'ou=groups,dc=mlrun,dc=test',
  timeoutMs: 3000,
};
const ALICE = 'alice-password-123';
const UNAVAILABLE = { code: UserDirectoryErrorCode.DirectoryUnavailable };
const INJECTIONS = ['*', '*)(uid=*', 'alice)(|(uid=*', 'alice*', 'alice\u0000', '\u0000'];

// What passport.authenticate returns (typed `any` upstream).
type Middleware = (request: unknown, response: unknown, next: () => void) => void;

const slapd = (script: 'up.sh' | 'down.sh') =>
  promisify(execFile)(path.join(SLAPD, script), { timeout: 120_000 });

describe(LdapUserDirectory.name, () => {
  let sut: LdapUserDirectory;

  beforeAll(async () => {
    expect(existsSync(SLAPD)).toBe(true);
    await slapd('up.sh');
  });
  beforeEach(() => {
    sut = new LdapUserDirectory(OPTIONS);
  });
  afterEach(() => sut.close());

  it.each([
    ['alice', ALICE, ['mlrun-publishers'], ['models:write:*', 'predict:*']],
    ['bob', 'bob-password-12345', ['mlrun-predictors'], ['predict:*']],
    ['carol', 'carol-password-123', ['mlrun-admins'], ['admin']],
  ])('logs %s in with the scopes of their groups', async (username, password, groups, scopes) => {
    expect(await sut.authenticate(username, password)).toEqual({ username, groups, scopes });
  });

  it('answers undefined for a wrong password, an unknown user and an empty password', async () => {
    expect(await sut.authenticate('alice', 'wrong-password-1')).toBeUndefined();
    expect(await sut.authenticate('nobody', ALICE)).toBeUndefined();
    expect(await sut.authenticate('alice', '')).toBeUndefined();
  });

  it.each(INJECTIONS)('never authenticates the filter injection %j', async (username) => {
    expect(await sut.authenticate(username, ALICE)).toBeUndefined();
    expect(await sut.authenticate(username, 'wrong-password-1')).toBeUndefined();
  });

  it('gives the entry spelling of a name LDAP matched without case', async () => {
    expect(await sut.authenticate('ALICE', ALICE)).toMatchObject({ username: 'alice' });
  });

  it('maps the groups it is told to, and grants nothing for others', async () => {
    const custom = new LdapUserDirectory({
      ...OPTIONS,
      groupScopes: { 'MLRUN-PUBLISHERS': ['predict:iris'], 'mlrun-admins': ['admin'] },
    });
    expect(await custom.authenticate('alice', ALICE)).toEqual({
      username: 'alice',
      groups: ['MLRUN-PUBLISHERS'],
      scopes: ['predict:iris'],
    });
    expect(await custom.authenticate('bob', 'bob-password-12345')).toEqual({
      username: 'bob',
      groups: [],
      scopes: [],
    });
    await custom.close();
  });

  it('says the directory is unavailable when the service bind is refused', async () => {
    const wrongBind = new LdapUserDirectory({ ...OPTIONS, bindCredentials: 'not-the-password' });
    const error = await wrongBind.authenticate('alice', ALICE).catch((e: Error) => e);
    expect(error).toMatchObject({
      ...UNAVAILABLE,
      message: expect.stringContaining('refused the service bind as cn=admin,dc=mlrun,dc=test'),
    });
    expect(String(error)).not.toContain('not-the-password');
    expect(String(error)).not.toContain(ALICE);
  });

  it('says the directory is unavailable when a search base does not exist', async () => {
    const missing = new LdapUserDirectory({
      ...OPTIONS,
      groupSearchBase: 'ou=none,dc=mlrun,dc=test',
    });
    await expect(missing.authenticate('alice', ALICE)).rejects.toMatchObject({
      ...UNAVAILABLE,
      message: expect.stringContaining('search base'),
    });
  });

  it('says the directory is unavailable, within the timeout, when nothing listens', async () => {
    const nowhere = new LdapUserDirectory({ ...OPTIONS, url: 'ldap://127.0.0.1:3899' });
    const started = performance.now();
    await expect(nowhere.authenticate('alice', ALICE)).rejects.toMatchObject({
      ...UNAVAILABLE,
      message: expect.stringMatching(
        /cannot reach LDAP at ldap:\/\/127\.0\.0\.1:3899 \(ECONNREFUSED\)/,
      ),
    });
    expect(performance.now() - started).toBeLessThan(OPTIONS.timeoutMs ?? 0);
  });

  describe('against a server that is not a working LDAP', () => {
    let server: net.Server;
    let sockets: net.Socket[];
    const listen = async (onConnection: (socket: net.Socket) => void) => {
      sockets = [];
      server = net.createServer((socket) => {
        sockets.push(socket);
        onConnection(socket);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      return new LdapUserDirectory({ ...OPTIONS, url: `ldap://127.0.0.1:${port}`, timeoutMs: 300 });
    };
    afterEach(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives up after timeoutMs when it accepts but never answers', async () => {
      const silent = await listen(() => undefined);
      const started = performance.now();
      await expect(silent.authenticate('alice', ALICE)).rejects.toMatchObject({
        ...UNAVAILABLE,
        message: expect.stringContaining('did not answer within 300 ms'),
      });
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('survives connections that die mid-request, without an unhandled error', async () => {
      const dropping = await listen((socket) =>
        socket.once('data', () => socket.resetAndDestroy()),
      );
      await expect(dropping.authenticate('alice', ALICE)).rejects.toMatchObject(UNAVAILABLE);
      await expect(dropping.authenticate('bob', 'bob-password-12345')).rejects.toMatchObject(
        UNAVAILABLE,
      );
    });
  });

  it('refuses logins once closed', async () => {
    await sut.close();
    await expect(sut.authenticate('alice', ALICE)).rejects.toMatchObject(UNAVAILABLE);
  });

  // passport-ldapauth's own escaping, without the username check in front of it: a guard
  // in case that check is ever loosened.
  it.each(INJECTIONS.filter((name) => !name.includes('\u0000')))(
    'lets the strategy find no entry for %j (ldapauth-fork escapes the filter)',
    async (username) => {
      const outcome = await new Promise<string>((resolve) => {
        const strategy = new Strategy({
          server: { ...OPTIONS, searchFilter: '(uid={{username}})' },
        });
        const authenticate: Middleware = passport.authenticate(
          strategy,
          { session: false },
          (error: unknown, user: unknown) => resolve(error ? 'error' : user ? 'success' : 'fail'),
        );
        authenticate({ body: { username, password: ALICE } }, {}, () => resolve('error'));
      });
      expect(outcome).toBe('fail');
    },
  );

  describe('when slapd stops and starts again', () => {
    afterAll(() => slapd('up.sh'));

    it('is unavailable while it is down and works again after, with the same object', async () => {
      expect(await sut.authenticate('alice', ALICE)).toBeDefined();
      await slapd('down.sh');
      await expect(sut.authenticate('alice', ALICE)).rejects.toMatchObject({
        ...UNAVAILABLE,
        message: expect.stringContaining('cannot reach LDAP'),
      });
      await expect(sut.authenticate('bob', 'bob-password-12345')).rejects.toMatchObject(
        UNAVAILABLE,
      );
      await slapd('up.sh');
      expect(await sut.authenticate('alice', ALICE)).toMatchObject({ username: 'alice' });
    });
  });
});

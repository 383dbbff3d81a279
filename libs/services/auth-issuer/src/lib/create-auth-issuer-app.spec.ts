import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { ConfigError, loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { MemoryTokenStore } from '@ml-run/token-store';
import {
  LdapUserDirectory,
  UserDirectoryError,
  UserDirectoryErrorCode,
} from '@ml-run/user-directory';

import { authIssuerConfigShape } from './auth-issuer.config';
import { createAuthIssuerApp } from './create-auth-issuer-app';

describe(createAuthIssuerApp.name, () => {
  let dir: string;
  let app: ServiceApp | undefined;
  const tokenStore = new MemoryTokenStore();
  const start = (env: Record<string, string>) =>
    createAuthIssuerApp(
      loadConfig(authIssuerConfigShape, { MLRUN_LOG_LEVEL: 'silent', MLRUN_DATA_DIR: dir, ...env }),
      { tokenStore, events: new MemoryEventBus() },
    );

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'auth-issuer-app-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(() => tokenStore.close());

  it('creates the users file with the default groups in MLRUN_DATA_DIR', async () => {
    app = await start({});
    const file = JSON.parse(await readFile(path.join(dir, 'users.json'), 'utf8'));
    expect(Object.keys(file.groups)).toEqual(['admins', 'predictors', 'publishers']);
    expect(file.users).toEqual({});
  });

  it('bootstraps admin from MLRUN_ADMIN_PASSWORD, who can then log in', async () => {
    app = await start({ MLRUN_ADMIN_PASSWORD: 'bootstrap-secret-1' });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username: 'admin', password: 'bootstrap-secret-1' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().scope).toBe('admin');
  });

  it('refuses a short MLRUN_ADMIN_PASSWORD, naming the variable', async () => {
    await expect(start({ MLRUN_ADMIN_PASSWORD: 'short' })).rejects.toThrow(ConfigError);
    await expect(start({ MLRUN_ADMIN_PASSWORD: 'short' })).rejects.toThrow(/MLRUN_ADMIN_PASSWORD/);
  });

  describe('with MLRUN_LDAP_URL', () => {
    const LDAP = {
      MLRUN_LDAP_URL: 'ldap://ldap.example.com',
      MLRUN_LDAP_BIND_DN: 'cn=ml-run,dc=example,dc=org',
      MLRUN_LDAP_BIND_PASSWORD: 'service-secret',
      MLRUN_LDAP_SEARCH_BASE: 'ou=people,dc=example,dc=org',
      MLRUN_LDAP_GROUP_SEARCH_BASE: 'ou=groups,dc=example,dc=org',
    };
    afterEach(() => jest.restoreAllMocks());

    it('logs users in against LDAP instead of the users file', async () => {
      const authenticate = jest
        .spyOn(LdapUserDirectory.prototype, 'authenticate')
        .mockResolvedValue({ username: 'alice', groups: ['mlrun-admins'], scopes: ['admin'] });
      app = await start(LDAP);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        payload: { grant_type: 'password', username: 'alice', password: 'alice-password' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().scope).toBe('admin');
      expect(authenticate).toHaveBeenCalledWith('alice', 'alice-password');
      await expect(readFile(path.join(dir, 'users.json'))).rejects.toThrow(/ENOENT/);
    });

    it('answers 503 AUTH_UNAVAILABLE with Retry-After while LDAP is unavailable', async () => {
      jest
        .spyOn(LdapUserDirectory.prototype, 'authenticate')
        .mockRejectedValue(
          new UserDirectoryError(UserDirectoryErrorCode.DirectoryUnavailable, 'cannot reach LDAP'),
        );
      app = await start(LDAP);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        payload: { grant_type: 'password', username: 'alice', password: 'alice-password' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toMatchObject({
        error: 'temporarily_unavailable',
        code: 'AUTH_UNAVAILABLE',
        message: expect.stringContaining('temporarily unavailable'),
      });
    });

    it('lists LDAP’s ML-RUN groups to an admin, explains why users are not listed, and refuses changes', async () => {
      jest
        .spyOn(LdapUserDirectory.prototype, 'authenticate')
        .mockResolvedValue({ username: 'alice', groups: ['mlrun-admins'], scopes: ['admin'] });
      app = await start(LDAP);
      const login = await app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        payload: { grant_type: 'password', username: 'alice', password: 'alice-password' },
      });
      const headers = { authorization: `Bearer ${login.json().access_token}` };
      const users = await app.inject({ method: 'GET', url: '/v1/users', headers });
      expect(users.json()).toEqual({
        users: [],
        managedBy: 'ldap',
        editable: false,
        note: expect.stringContaining('managed in the LDAP directory'),
      });
      const groups = await app.inject({ method: 'GET', url: '/v1/groups', headers });
      expect(groups.json()).toEqual({
        groups: [
          { name: 'mlrun-admins', scopes: ['admin'] },
          { name: 'mlrun-predictors', scopes: ['predict:*'] },
          { name: 'mlrun-publishers', scopes: ['models:write:*', 'predict:*'] },
        ],
        managedBy: 'ldap',
      });
      const body = { username: 'bob', password: 'bob-password-123', groups: [] };
      for (const [method, url] of [
        ['POST', '/v1/users'],
        ['DELETE', '/v1/users/bob'],
      ] as const) {
        const res = await app.inject({ method, url, headers, payload: body });
        expect(res.statusCode).toBe(409);
        expect(res.json()).toEqual({
          code: 'USERS_MANAGED_IN_LDAP',
          message: expect.stringContaining('add or remove them there'),
        });
      }
    });

    it('closes the LDAP directory when the app closes', async () => {
      const close = jest.spyOn(LdapUserDirectory.prototype, 'close');
      app = await start(LDAP);
      expect(close).not.toHaveBeenCalled();
      await app.close();
      app = undefined;
      expect(close).toHaveBeenCalledTimes(1);
    });

    it('warns at start when passwords would cross the network without TLS', async () => {
      const logs: string[] = [];
      const env = { MLRUN_LOG_LEVEL: 'warn', MLRUN_DATA_DIR: dir, ...LDAP };
      const host = { logDestination: { write: (line: string) => void logs.push(line) } };
      const create = (url: string) =>
        createAuthIssuerApp(
          loadConfig(authIssuerConfigShape, { ...env, MLRUN_LDAP_URL: url }),
          { tokenStore, events: new MemoryEventBus() },
          host,
        );
      for (const url of ['ldaps://ldap.example.com', 'ldap://127.0.0.1:3890']) {
        await (await create(url)).close();
      }
      expect(logs.join('')).not.toContain('ldap without tls');
      app = await create('ldap://ldap.example.com');
      expect(logs.join('')).toContain('ldap without tls');
    });

    it('refuses to start without the companion variables, naming them', async () => {
      await expect(start({ MLRUN_LDAP_URL: LDAP.MLRUN_LDAP_URL })).rejects.toThrow(
        /MLRUN_LDAP_BIND_DN is required when MLRUN_LDAP_URL is set/,
      );
    });
  });
});

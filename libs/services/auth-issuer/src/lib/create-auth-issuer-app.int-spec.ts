import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { tokenHash } from '@ml-run/token-contract';
import { MemoryTokenStore } from '@ml-run/token-store';

import { authIssuerConfigShape } from './auth-issuer.config';
import { createAuthIssuerApp } from './create-auth-issuer-app';

// The test directory of tools/services/slapd (README there); fixtures, not secrets.
const SLAPD = path.resolve(__dirname, '../../../../../tools/services/slapd');
const LDAP = {
  MLRUN_LDAP_URL: 'ldap://127.0.0.1:3890',
  MLRUN_LDAP_BIND_DN: 'cn=admin,dc=mlrun,dc=test',
  MLRUN_LDAP_BIND_PASSWORD: 'mlrun-admin-password',
  MLRUN_LDAP_SEARCH_BASE: 'ou=people,dc=mlrun,dc=test',
  MLRUN_LDAP_GROUP_SEARCH_BASE: 'ou=groups,dc=mlrun,dc=test',
  MLRUN_LDAP_TIMEOUT_MS: '3000',
};

const slapd = (script: 'up.sh' | 'down.sh') =>
  promisify(execFile)(path.join(SLAPD, script), { timeout: 120_000 });

describe(`${createAuthIssuerApp.name} with LDAP`, () => {
  let dir: string;
  let app: ServiceApp;
  const tokenStore = new MemoryTokenStore();
  const login = (username: string, password: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username, password },
    });

  beforeAll(async () => {
    await slapd('up.sh');
    dir = await mkdtemp(path.join(os.tmpdir(), 'auth-issuer-ldap-'));
    const config = loadConfig(authIssuerConfigShape, {
      MLRUN_LOG_LEVEL: 'silent',
      MLRUN_DATA_DIR: dir,
      ...LDAP,
    });
    app = await createAuthIssuerApp(config, { tokenStore, events: new MemoryEventBus() });
  });
  afterAll(async () => {
    await app.close();
    tokenStore.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('issues alice a token with the scopes of her LDAP group', async () => {
    const res = await login('alice', 'alice-password-123');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ token_type: 'Bearer', scope: 'models:write:* predict:*' });
    const record = await tokenStore.get(tokenHash(res.json().access_token));
    expect(record).toMatchObject({
      sub: 'alice',
      scope: ['models:write:*', 'predict:*'],
      groups: ['mlrun-publishers'],
    });
  });

  it('answers 400 invalid_grant for a wrong password and an unknown user alike', async () => {
    const wrong = await login('bob', 'not-bobs-password');
    const unknown = await login('nobody', 'not-bobs-password');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error: 'invalid_grant', code: 'INVALID_CREDENTIALS' });
    expect(unknown.json()).toEqual(wrong.json());
  });

  describe('while slapd is down', () => {
    beforeAll(() => slapd('down.sh'));
    afterAll(() => slapd('up.sh'));

    it('answers 503 AUTH_UNAVAILABLE with Retry-After and a message that says to retry', async () => {
      const res = await login('carol', 'carol-password-123');
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        error: 'temporarily_unavailable',
        error_description:
          'login is temporarily unavailable: the user directory cannot be reached; try again in a few seconds',
        code: 'AUTH_UNAVAILABLE',
        message:
          'login is temporarily unavailable: the user directory cannot be reached; try again in a few seconds',
      });
    });
  });

  it('logs carol in again once slapd is back, in the same app', async () => {
    const res = await login('carol', 'carol-password-123');
    expect(res.statusCode).toBe(200);
    expect(res.json().scope).toBe('admin');
  });
});

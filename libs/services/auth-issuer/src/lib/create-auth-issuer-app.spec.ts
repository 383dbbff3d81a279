import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { ConfigError, loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { MemoryTokenStore } from '@ml-run/token-store';

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
});

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  freePort,
  REPO_ROOT,
  startApp,
  waitFor200,
  type ServiceProcess,
} from '@ml-run/process-testing';

export type AuthPlane = ServiceProcess & {
  issuerUrl: string;
  validatorUrl: string;
  serviceToken: string;
  dataDir: string;
};

/** Embedded mode's auth services as one process, on free ports and a fresh data dir. */
export async function startAuthPlane(env: Record<string, string> = {}): Promise<AuthPlane> {
  const [issuerPort, validatorPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mlrun-e2e-'));
  const serviceToken = randomBytes(32).toString('base64url');
  const service = startApp('embedded', {
    MLRUN_DATA_DIR: dataDir,
    MLRUN_SERVICE_TOKEN: serviceToken,
    MLRUN_AUTH_ISSUER_PORT: String(issuerPort),
    MLRUN_TOKEN_VALIDATOR_PORT: String(validatorPort),
    ...env,
  });
  const issuerUrl = `http://127.0.0.1:${issuerPort}`;
  const validatorUrl = `http://127.0.0.1:${validatorPort}`;
  await waitFor200(`${issuerUrl}/readyz`);
  await waitFor200(`${validatorUrl}/readyz`);
  return { ...service, issuerUrl, validatorUrl, serviceToken, dataDir };
}

/** Adds a group to the users file (the issuer re-reads it on change). */
export function addGroup(plane: AuthPlane, group: string, scopes: string[]): void {
  const file = path.join(plane.dataDir, 'users.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as { groups: Record<string, string[]> };
  document.groups[group] = scopes;
  writeFileSync(file, JSON.stringify(document, null, 2), { mode: 0o600 });
}

/** `ml-run users add` through the built CLI, password from MLRUN_PASSWORD. */
export function addUser(
  plane: AuthPlane,
  username: string,
  password: string,
  groups: string[],
): void {
  execFileSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'dist/apps/cli/main.js'),
      'users',
      'add',
      username,
      '--groups',
      groups.join(','),
    ],
    {
      env: { ...process.env, MLRUN_DATA_DIR: plane.dataDir, MLRUN_PASSWORD: password },
      stdio: 'pipe',
    },
  );
}

/** POST /v1/auth/token (password grant) as JSON or as an OAuth2 form. */
export async function login(
  plane: AuthPlane,
  username: string,
  password: string,
  as: 'json' | 'form' = 'json',
) {
  const fields = { grant_type: 'password', username, password };
  const response = await fetch(`${plane.issuerUrl}/v1/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    },
    body: as === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
  if (response.status !== 200)
    throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  return (await response.json()) as {
    access_token: string;
    token_type: string;
    expires_in: number;
    scope: string;
  };
}

export async function revoke(plane: AuthPlane, token: string): Promise<number> {
  const response = await fetch(`${plane.issuerUrl}/v1/auth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  await response.arrayBuffer();
  return response.status;
}

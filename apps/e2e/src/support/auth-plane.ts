import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT, type AuthPlane, type Plane } from '@ml-run/process-testing';

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

/** `ml-run users remove` through the built CLI. */
export function removeUser(plane: AuthPlane, username: string): void {
  execFileSync(
    process.execPath,
    [path.join(REPO_ROOT, 'dist/apps/cli/main.js'), 'users', 'remove', username],
    { env: { ...process.env, MLRUN_DATA_DIR: plane.dataDir }, stdio: 'pipe' },
  );
}

export async function revoke(plane: Plane, token: string): Promise<number> {
  const response = await fetch(`${plane.issuerUrl}/v1/auth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  await response.arrayBuffer();
  return response.status;
}

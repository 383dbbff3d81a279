import type { CliDeps } from '../cli-deps';
import { AuthClient } from '../http/auth-client';
import { requireToken } from '../session/token-file';
import { printUsers } from './users-commands';

// `ml-run users ... --remote`: the same commands over the issuer's /v1/users, with the
// stored token (an admin's) at the issuer it came from, instead of editing a local file.

async function issuerOf(deps: CliDeps): Promise<{ auth: AuthClient; url: string }> {
  const stored = await requireToken(deps.dataDir, (deps.now ?? Date.now)());
  const auth = new AuthClient({
    label: 'auth-issuer',
    baseUrl: stored.authUrl,
    token: stored.token,
  });
  return { auth, url: stored.authUrl };
}

export async function usersListRemote(deps: CliDeps): Promise<void> {
  const { auth, url } = await issuerOf(deps);
  const { users, managedBy, note } = await auth.listUsers();
  if (note !== undefined) deps.out(note);
  if (users.length === 0) {
    if (managedBy === 'file') deps.out(`no users at ${url}`);
    return;
  }
  printUsers(deps, users);
}

export async function usersAddRemote(
  deps: CliDeps,
  username: string,
  groups: readonly string[],
): Promise<void> {
  const { auth, url } = await issuerOf(deps);
  const password = await deps.readPassword();
  const user = await auth.addUser({ username, password, groups: [...groups] });
  deps.out(`added user ${user.username} (groups: ${user.groups.join(', ') || 'none'}) at ${url}`);
}

export async function usersRemoveRemote(deps: CliDeps, username: string): Promise<void> {
  const { auth, url } = await issuerOf(deps);
  await auth.removeUser(username);
  deps.out(`removed user ${username} at ${url}; their tokens are revoked`);
}

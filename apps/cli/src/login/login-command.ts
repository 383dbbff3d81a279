import type { Command } from 'commander';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import { AuthClient } from '../http/auth-client';
import { deleteToken, readToken, saveToken } from '../session/token-file';

/** Logs in with a password and stores the token (mode 0600) for the other commands. */
export async function login(deps: CliDeps, user: string): Promise<void> {
  const password = await deps.readLoginPassword();
  const auth = new AuthClient({ label: 'auth-issuer', baseUrl: deps.urls.auth });
  const answer = await auth.token(user, password);
  const expiresAt = new Date((deps.now ?? Date.now)() + answer.expires_in * 1000).toISOString();
  const file = await saveToken(deps.dataDir, {
    token: answer.access_token,
    expiresAt,
    authUrl: deps.urls.auth,
    user,
  });
  deps.out(
    `logged in as ${user} (scope: ${answer.scope || 'none'}); the token expires ${expiresAt}`,
  );
  deps.out(`token saved in ${file}`);
}

/** Revokes the stored token at the issuer that issued it, then deletes the file. */
export async function logout(deps: CliDeps): Promise<void> {
  const stored = await readToken(deps.dataDir);
  if (stored === undefined) {
    await deleteToken(deps.dataDir);
    deps.out('not logged in; nothing to do');
    return;
  }
  const auth = new AuthClient({ label: 'auth-issuer', baseUrl: stored.authUrl });
  const revoked = await auth.revoke(stored.token).then(
    () => undefined,
    (error: unknown) => error,
  );
  // Even when the issuer cannot be reached, this machine forgets the token.
  await deleteToken(deps.dataDir);
  if (revoked !== undefined) {
    const reason = revoked instanceof Error ? revoked.message : String(revoked);
    throw new CliError(
      `${reason}; the token file is deleted, but the token stays valid until ${stored.expiresAt}`,
    );
  }
  deps.out(`logged out ${stored.user}: the token is revoked and deleted`);
}

export function registerLoginCommands(program: Command, deps: CliDeps): void {
  program
    .command('login')
    .description(
      'log in at the auth-issuer; the password comes from MLRUN_PASSWORD, else stdin, else a prompt',
    )
    .requiredOption('-u, --user <user>', 'the username')
    .action((options: { user: string }) => login(deps, options.user));
  program
    .command('logout')
    .description('revoke the stored token and delete it')
    .action(() => logout(deps));
}

import type { Command } from 'commander';

import type { CliDeps } from '../cli-deps';
import { AuthClient } from '../http/auth-client';
import { requireToken } from '../session/token-file';

/** Revokes every token a user holds now, at the issuer the stored (admin) token came from. */
export async function revokeUserTokens(deps: CliDeps, user: string): Promise<void> {
  const stored = await requireToken(deps.dataDir, (deps.now ?? Date.now)());
  const auth = new AuthClient({
    label: 'auth-issuer',
    baseUrl: stored.authUrl,
    token: stored.token,
  });
  const { sub, notBefore } = await auth.revokeUser(user);
  deps.out(`revoked every token ${sub} held up to ${notBefore}; new logins work`);
}

export function registerTokensCommands(program: Command, deps: CliDeps): void {
  const tokens = program.command('tokens').description('manage issued tokens (admin)');
  tokens
    .command('revoke')
    .description('revoke every token a user holds now, on every replica within a second')
    .requiredOption('--user <user>', 'the username')
    .action((options: { user: string }) => revokeUserTokens(deps, options.user));
}

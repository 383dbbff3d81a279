import { ConfigError } from '@ml-run/config';
import type { EventPublisher } from '@ml-run/event-bus';
import { createServiceApp, type ServiceApp, type ServiceHostOptions } from '@ml-run/server';
import type { TokenStore } from '@ml-run/token-store';
import {
  bootstrapAdmin,
  ensureUsersFile,
  FileUserDirectory,
  MIN_PASSWORD_LENGTH,
  type UserDirectory,
} from '@ml-run/user-directory';

import { usersFileOf, type AuthIssuerConfig } from './auth-issuer.config';
import { mapAuthIssuerError } from './auth-issuer.errors';
import { AuthIssuerModule } from './auth-issuer.module';

export type AuthIssuerAppAdapters = {
  tokenStore: TokenStore;
  events: EventPublisher;
  /** Default: the users file of the config (created with the default groups if missing). */
  users?: UserDirectory;
};

/** The auth-issuer service: password login to bearer tokens, and revocation. */
export async function createAuthIssuerApp(
  config: AuthIssuerConfig,
  adapters: AuthIssuerAppAdapters,
  options: ServiceHostOptions = {},
): Promise<ServiceApp> {
  const users = adapters.users ?? (await fileUserDirectory(config));
  return createServiceApp({
    service: 'auth-issuer',
    description:
      'Issues bearer tokens for a username and password (POST /v1/auth/token) and revokes them (POST /v1/auth/revoke).',
    module: AuthIssuerModule.forRoot(config, { ...adapters, users }),
    settings: config,
    errorMapper: mapAuthIssuerError,
    ...options,
  });
}

async function fileUserDirectory(config: AuthIssuerConfig): Promise<FileUserDirectory> {
  const file = usersFileOf(config);
  await ensureUsersFile(file);
  const password = config.MLRUN_ADMIN_PASSWORD;
  if (password !== undefined) {
    if ([...password].length < MIN_PASSWORD_LENGTH) {
      throw new ConfigError([
        {
          variable: 'MLRUN_ADMIN_PASSWORD',
          message: `must be at least ${MIN_PASSWORD_LENGTH} characters`,
        },
      ]);
    }
    await bootstrapAdmin(file, password);
  }
  return new FileUserDirectory(file);
}

import { Logger } from '@nestjs/common';

import { ConfigError } from '@ml-run/config';
import { OutboxPublisher, type EventPublisher } from '@ml-run/event-bus';
import { createServiceApp, type ServiceApp, type ServiceHostOptions } from '@ml-run/server';
import type { TokenStore } from '@ml-run/token-store';
import {
  bootstrapAdmin,
  ensureUsersFile,
  FileUserDirectory,
  LdapUserDirectory,
  MIN_PASSWORD_LENGTH,
  type UserDirectory,
} from '@ml-run/user-directory';

import {
  ldapOptionsOf,
  tokenEventsOutboxOf,
  usersFileOf,
  type AuthIssuerConfig,
} from './auth-issuer.config';
import { mapAuthIssuerError } from './auth-issuer.errors';
import { AuthIssuerModule } from './auth-issuer.module';
import { signingKeysOfConfig } from './jwt/signing-keys';
import type { LoginCounters } from './login-throttle/login-counters.port';
import { limitUserBodies } from './users/user-body-limit';

export type AuthIssuerAppAdapters = {
  tokenStore: TokenStore;
  events: EventPublisher;
  /** Where failed logins are counted; default this process (cluster mode: Ignite). */
  loginCounters?: LoginCounters;
  /**
   * Default: the LDAP directory of MLRUN_LDAP_URL when set (closed with the app), else the
   * users file of the config (created with the default groups if missing).
   */
  users?: UserDirectory;
};

/** The auth-issuer service: password login to bearer tokens, and revocation. */
export async function createAuthIssuerApp(
  config: AuthIssuerConfig,
  adapters: AuthIssuerAppAdapters,
  options: ServiceHostOptions = {},
): Promise<ServiceApp> {
  // A missing or unusable signing key stops the start before anything is opened.
  const signingKeys = signingKeysOfConfig(config);
  const ldap = adapters.users ? undefined : ldapUserDirectory(config);
  const users = adapters.users ?? ldap ?? (await fileUserDirectory(config));
  const outbox = await tokenEventsOutbox(adapters.events, tokenEventsOutboxOf(config));
  const app = await createServiceApp({
    service: 'auth-issuer',
    description:
      'Issues bearer tokens for a username and password (POST /v1/auth/token), revokes them (POST /v1/auth/revoke), and lets admins manage users (/v1/users, /v1/groups).',
    module: AuthIssuerModule.forRoot(config, {
      ...adapters,
      users,
      durableEvents: outbox,
      ...(signingKeys && { signingKeys }),
    }),
    settings: config,
    errorMapper: mapAuthIssuerError,
    configureFastify: limitUserBodies,
    ...options,
    // What this app opened closes with it, before the host's own resources.
    resources: [...(options.resources ?? []), outbox, ...(ldap ? [ldap] : [])],
  }).catch((error: unknown) => {
    outbox.close();
    throw error;
  });
  if (ldap && isCleartextRemote(config.MLRUN_LDAP_URL)) {
    // This app's own logger: Nest's static Logger writes to the first app of the process.
    app.nest
      .getHttpAdapter()
      .getInstance()
      .log.warn(
        { url: config.MLRUN_LDAP_URL },
        'ldap without tls: user passwords cross the network in clear; use ldaps://',
      );
  }
  return app;
}

// A user-wide revocation is already in the store when its event goes out: one the bus
// refuses waits on disk and is sent again, in order, until taken (also after a restart).
// A single token's revocation stays all or nothing (RevocationService.revoke).
async function tokenEventsOutbox(events: EventPublisher, dir: string): Promise<OutboxPublisher> {
  const logger = new Logger('TokenEventOutbox');
  const outbox = new OutboxPublisher(events, dir, {
    onRetryFailed: (error, pending) =>
      logger.warn({ err: error, pending }, 'user-wide revocation event kept in the outbox'),
  });
  await outbox.start();
  return outbox;
}

function isCleartextRemote(url: string | undefined): boolean {
  const match = /^ldap:\/\/(\[[^\]]*\]|[^:/]+)/i.exec(url ?? '');
  return match !== null && !['localhost', '127.0.0.1', '[::1]'].includes(match[1] ?? '');
}

// Cluster mode: LDAP replaces the users file (MLRUN_ADMIN_PASSWORD has no effect there).
function ldapUserDirectory(config: AuthIssuerConfig): LdapUserDirectory | undefined {
  const options = ldapOptionsOf(config);
  return options && new LdapUserDirectory(options);
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

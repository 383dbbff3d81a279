import { randomBytes } from 'node:crypto';

import {
  SERVICE_CREDENTIAL_VARIABLES,
  SERVICE_ROLES,
  type ServiceRole,
} from '@ml-run/token-contract';

/** The credential of every service role in this embedded process. */
export type EmbeddedCredentials = Readonly<Record<ServiceRole, string>>;

/**
 * Each role's credential: the one configured, or a fresh random one. Only this process's
 * services present them to each other, so nothing needs to survive a restart; a replica
 * left from an earlier run holds a credential that no longer opens anything.
 */
export function embeddedCredentials(
  configured: Partial<Record<(typeof SERVICE_CREDENTIAL_VARIABLES)[ServiceRole], string>>,
): EmbeddedCredentials {
  const credentials = {} as Record<ServiceRole, string>;
  for (const role of SERVICE_ROLES) {
    credentials[role] =
      configured[SERVICE_CREDENTIAL_VARIABLES[role]] ?? randomBytes(32).toString('base64url');
  }
  return credentials;
}

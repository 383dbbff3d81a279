import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { realKafka } from './real-kafka';

// The same variables tools/services/*/up.sh read: a private set of services (another
// MLRUN_SERVICES_DIR and ports) and the tests against it are set up by one environment.
const env = (name: string): string | undefined => process.env[name] || undefined;
const servicesDir = () => env('MLRUN_SERVICES_DIR') ?? path.join(homedir(), '.ml-run', 'services');

/** Where tools/services starts the real components (local ports; env-overridable). */
export const REAL_COMPONENTS = {
  /** The platform's Ignite: tokens, registry, settings (login: platformIgniteLogin()). */
  igniteEndpoints:
    env('MLRUN_IGNITE_ENDPOINTS') ?? `127.0.0.1:${env('MLRUN_IGNITE_CLIENT_PORT') ?? '10800'}`,
  /** The models' Ignite (ctx.ignite), a cluster of its own without a login. */
  modelIgniteEndpoints:
    env('MLRUN_MODEL_IGNITE_ENDPOINTS') ??
    `127.0.0.1:${env('MLRUN_MODEL_IGNITE_CLIENT_PORT') ?? '10900'}`,
  kafkaBrokers: realKafka().brokers.join(','),
  ldapUrl: 'ldap://127.0.0.1:3890',
} as const;

/**
 * The platform Ignite's login: MLRUN_IGNITE_USERNAME / MLRUN_IGNITE_PASSWORD when set, else
 * the superuser and the password tools/services/ignite/up.sh generated (ignite.password).
 */
export function platformIgniteLogin(): { userName: string; password: string } {
  const userName = env('MLRUN_IGNITE_USERNAME') ?? 'ignite';
  const password =
    env('MLRUN_IGNITE_PASSWORD') ??
    readFileSync(path.join(servicesDir(), 'ignite', 'ignite.password'), 'utf8').trim();
  return { userName, password };
}

import {
  ConfigError,
  hostPortListVar,
  intVar,
  optionalSecretVar,
  splitHostPortList,
  stringVar,
  type ConfigOf,
} from '@ml-run/config';
import { TOKEN_MAC_KEY_MIN_LENGTH, TokenRecordMac } from '@ml-run/token-store';

import type { IgnitePoolOptions } from './ignite-pool';

/** Cluster mode's Ignite variables; an app spreads these into its own shape. */
export const igniteConfigShape = {
  /** Ignite thin-client endpoints; unset means embedded mode (memory adapters). */
  MLRUN_IGNITE_ENDPOINTS: hostPortListVar({
    example: '127.0.0.1:10800,ignite-2:10800',
    ipv6: true,
  }).optional(),
  /**
   * The platform Ignite's login (tools/services/ignite: user `ignite`, the password in
   * ignite.password). Platform services only: never handed to a model.
   */
  MLRUN_IGNITE_USERNAME: stringVar().optional(),
  MLRUN_IGNITE_PASSWORD: optionalSecretVar(),
  /** Connections per process; each carries at most 1000 requests at once. */
  MLRUN_IGNITE_POOL_SIZE: intVar({ min: 1, max: 32, default: 2 }),
  /** Connect timeout, and how long one request may go unanswered. */
  MLRUN_IGNITE_TIMEOUT_MS: intVar({ min: 100, max: 300_000, default: 5_000 }),
};

export type IgniteConfig = ConfigOf<typeof igniteConfigShape>;

/** The configured endpoints, or undefined when Ignite is not used (embedded mode). */
export function igniteEndpointsOf(
  config: Pick<IgniteConfig, 'MLRUN_IGNITE_ENDPOINTS'>,
): string[] | undefined {
  const list = config.MLRUN_IGNITE_ENDPOINTS;
  return list === undefined ? undefined : splitHostPortList(list);
}

/** IgnitePool options from the config, or undefined when Ignite is not used. */
export function ignitePoolOptionsOf(config: IgniteConfig): IgnitePoolOptions | undefined {
  const endpoints = igniteEndpointsOf(config);
  if (!endpoints) return undefined;
  const credentials = credentialsOf(config);
  return {
    endpoints,
    ...(credentials && { credentials }),
    poolSize: config.MLRUN_IGNITE_POOL_SIZE,
    connectTimeoutMs: config.MLRUN_IGNITE_TIMEOUT_MS,
    operationTimeoutMs: config.MLRUN_IGNITE_TIMEOUT_MS,
  };
}

// Both or neither: a user without a password would log in with an empty one and fail late.
function credentialsOf(config: IgniteConfig) {
  const { MLRUN_IGNITE_USERNAME: userName, MLRUN_IGNITE_PASSWORD: password } = config;
  if (userName === undefined && password === undefined) return undefined;
  if (userName === undefined || password === undefined) {
    const missing = userName === undefined ? 'MLRUN_IGNITE_USERNAME' : 'MLRUN_IGNITE_PASSWORD';
    throw new ConfigError([
      { variable: missing, message: 'must be set with its pair (the platform Ignite login)' },
    ]);
  }
  return { userName, password };
}

/**
 * The token-record MAC key: the issuer signs records with it, validators check them. Only
 * those two hold it (not the builder, never a model). Required with Ignite.
 */
export const tokenMacConfigShape = {
  MLRUN_TOKEN_MAC_KEY: optionalSecretVar({ minLength: TOKEN_MAC_KEY_MIN_LENGTH }),
};

/** The MAC for an IgniteTokenStore; fails start when Ignite is used without a key. */
export function tokenRecordMacOf(config: ConfigOf<typeof tokenMacConfigShape>): TokenRecordMac {
  const key = config.MLRUN_TOKEN_MAC_KEY;
  if (key === undefined) {
    throw new ConfigError([
      {
        variable: 'MLRUN_TOKEN_MAC_KEY',
        message: `must be set with MLRUN_IGNITE_ENDPOINTS (a secret of at least ${TOKEN_MAC_KEY_MIN_LENGTH} characters shared by the issuer and the validators)`,
      },
    ]);
  }
  return new TokenRecordMac(key);
}

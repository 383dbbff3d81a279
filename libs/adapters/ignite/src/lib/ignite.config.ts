import { intVar, stringVar, type ConfigOf } from '@ml-run/config';

import type { IgnitePoolOptions } from './ignite-pool';

// host:port, host a DNS name, an IPv4 address or a bracketed IPv6 address.
const ENDPOINT = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):\d{1,5}`;
const ENDPOINT_LIST = new RegExp(`^${ENDPOINT}(?:\\s*,\\s*${ENDPOINT})*$`);
const HINT = 'must be a comma-separated list of host:port, e.g. 127.0.0.1:10800,ignite-2:10800';

/** Cluster mode's Ignite variables; an app spreads these into its own shape. */
export const igniteConfigShape = {
  /** Ignite thin-client endpoints; unset means embedded mode (memory adapters). */
  MLRUN_IGNITE_ENDPOINTS: stringVar({ pattern: ENDPOINT_LIST, hint: HINT })
    .refine((list) => splitEndpoints(list).every(hasValidPort), HINT)
    .optional(),
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
  return list === undefined ? undefined : splitEndpoints(list);
}

/** IgnitePool options from the config, or undefined when Ignite is not used. */
export function ignitePoolOptionsOf(config: IgniteConfig): IgnitePoolOptions | undefined {
  const endpoints = igniteEndpointsOf(config);
  if (!endpoints) return undefined;
  return {
    endpoints,
    poolSize: config.MLRUN_IGNITE_POOL_SIZE,
    connectTimeoutMs: config.MLRUN_IGNITE_TIMEOUT_MS,
    operationTimeoutMs: config.MLRUN_IGNITE_TIMEOUT_MS,
  };
}

function splitEndpoints(list: string): string[] {
  return list.split(',').map((endpoint) => endpoint.trim());
}

function hasValidPort(endpoint: string): boolean {
  const port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
  return port >= 1 && port <= 65535;
}

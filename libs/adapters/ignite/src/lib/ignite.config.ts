import { hostPortListVar, intVar, splitHostPortList, type ConfigOf } from '@ml-run/config';

import type { IgnitePoolOptions } from './ignite-pool';

/** Cluster mode's Ignite variables; an app spreads these into its own shape. */
export const igniteConfigShape = {
  /** Ignite thin-client endpoints; unset means embedded mode (memory adapters). */
  MLRUN_IGNITE_ENDPOINTS: hostPortListVar({
    example: '127.0.0.1:10800,ignite-2:10800',
    ipv6: true,
  }).optional(),
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
  return {
    endpoints,
    poolSize: config.MLRUN_IGNITE_POOL_SIZE,
    connectTimeoutMs: config.MLRUN_IGNITE_TIMEOUT_MS,
    operationTimeoutMs: config.MLRUN_IGNITE_TIMEOUT_MS,
  };
}

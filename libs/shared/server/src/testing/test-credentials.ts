import type { ServiceRole } from '@ml-run/token-contract';

/**
 * One credential per service role, for test services and for attacks with the wrong one
 * (probeWithForeignCredentials). Not secrets.
 */
export const TEST_CREDENTIALS: Readonly<Record<ServiceRole, string>> = {
  introspection: 'test-introspection-credential-0123456789abcdef',
  'route-table': 'test-route-table-credential-0123456789abcdef',
  'registry-read': 'test-registry-read-credential-0123456789abcdef',
  metrics: 'test-metrics-credential-0123456789abcdef',
};

/** The scrape credential test services run with (MLRUN_METRICS_TOKEN). */
export const TEST_METRICS_TOKEN = TEST_CREDENTIALS.metrics;

/** The header a scraper sends to /metrics. */
export const SCRAPER = { authorization: `Bearer ${TEST_METRICS_TOKEN}` } as const;

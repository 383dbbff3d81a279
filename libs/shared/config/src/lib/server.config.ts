import { checkedCredentialVar, retiredServiceTokenVar } from './credential-fields';
import { enumVar, intVar, listenHostsVar } from './env-fields';

/** Variables every ML-RUN service reads (docs/architecture.md §8). */
export const serverConfigShape = {
  /**
   * Where the service listens: one address, or several separated by commas, all on
   * MLRUN_PORT (127.0.0.1,10.213.0.1: local callers and pods on a node address).
   */
  MLRUN_HOST: listenHostsVar('127.0.0.1'),
  MLRUN_LOG_LEVEL: enumVar(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  MLRUN_MAX_BODY_BYTES: intVar({ min: 1, max: 1024 * 1024 * 1024, default: 10 * 1024 * 1024 }),
  /**
   * How long a caller may take to send a whole request, headers and body: past it, 408 and
   * the connection closes (a client sending one byte every few seconds holds nothing long).
   * Answers, event streams included, are not bound by it.
   */
  MLRUN_REQUEST_TIMEOUT_MS: intVar({ min: 100, max: 3_600_000, default: 30_000 }),
  /** How long a caller may take to send the request headers (at most the request timeout). */
  MLRUN_HEADERS_TIMEOUT_MS: intVar({ min: 100, max: 600_000, default: 10_000 }),
  /** How long an idle keep-alive connection stays open between requests. */
  MLRUN_KEEP_ALIVE_TIMEOUT_MS: intVar({ min: 100, max: 600_000, default: 65_000 }),
  /**
   * The scrape credential `/metrics` asks for (`Authorization: Bearer`). Unset: /metrics
   * answers 403 SERVICE_CREDENTIAL_NOT_CONFIGURED to everyone.
   */
  MLRUN_METRICS_TOKEN: checkedCredentialVar(),
  /** Retired: setting it fails start with the names of the credentials that replace it. */
  MLRUN_SERVICE_TOKEN: retiredServiceTokenVar(),
};

/** Variables of services that serve long-lived streams (server-sent events). */
export const streamConfigShape = {
  /**
   * Streams one credential (a user's token, or a service credential) may hold open at once;
   * the next answers 429 with Retry-After until one closes.
   */
  MLRUN_MAX_STREAMS_PER_CREDENTIAL: intVar({ min: 1, max: 100_000, default: 8 }),
  /** How often an idle stream sends a comment line, so proxies and clients keep it open. */
  MLRUN_STREAM_HEARTBEAT_MS: intVar({ min: 100, max: 600_000, default: 15_000 }),
};

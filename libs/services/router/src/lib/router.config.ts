import {
  intVar,
  portVar,
  presentedCredentialVar,
  serverConfigShape,
  stringVar,
  type ConfigOf,
} from '@ml-run/config';

import { asyncPredictionConfigShape } from './async-prediction/async-prediction.config';

/** The router's MLRUN_ variables (docs/architecture.md §2, §8). */
export const routerConfigShape = {
  ...serverConfigShape,
  MLRUN_PORT: portVar(8080),
  /** Where the initial route snapshot comes from (`GET /v1/routes`); events keep it current. */
  MLRUN_BUILDER_URL: stringVar({
    default: 'http://127.0.0.1:8090',
    pattern: /^https?:\/\//,
    hint: 'must be an http(s) URL',
  }),
  /**
   * The route-table credential: presented to the builder (GET /v1/routes), and checked on
   * this router's own GET /v1/routes/inflight. Unset: a builder that checks tokens refuses
   * the router, and /v1/routes/inflight opens to no one.
   */
  MLRUN_ROUTE_TABLE_TOKEN: presentedCredentialVar(),
  /**
   * How often the router reloads the whole route table from the builder, whatever events
   * said: a lost event (a publish that failed, a router that missed it) is mended by then.
   */
  MLRUN_ROUTES_RECONCILE_SECONDS: intVar({ min: 1, max: 3600, default: 30 }),
  /** The largest answer a replica may send back; a longer one is cut off with 502. */
  MLRUN_MAX_ANSWER_BYTES: intVar({ min: 1, max: 1024 * 1024 * 1024, default: 10 * 1024 * 1024 }),
  /**
   * Predictions this router holds at once; past it, 429 with Retry-After before the body
   * is read, rather than an unbounded queue in front of the replicas.
   */
  MLRUN_MAX_INFLIGHT: intVar({ min: 1, max: 1_000_000, default: 2000 }),
  /** How long one upstream exchange may take before the client gets 504. */
  MLRUN_UPSTREAM_TIMEOUT_MS: intVar({ min: 100, max: 3_600_000, default: 60_000 }),
  ...asyncPredictionConfigShape,
};

export type RouterConfig = ConfigOf<typeof routerConfigShape>;

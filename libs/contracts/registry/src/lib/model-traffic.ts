import type { ReplicaState } from './deployment.dto';

/**
 * A latency histogram as a replica's /metrics reports it.
 * @example { buckets: [{ le: 0.005, count: 90 }, { le: 0.01, count: 99 }], sum: 0.41, count: 100 }
 */
export type TrafficHistogram = {
  /** Cumulative counts per finite upper bound (seconds), ascending; +Inf is `count`. */
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
};

/**
 * One replica's cumulative counters since it started; a client computes rates and quantiles
 * from the deltas between two samples.
 */
export type ReplicaTraffic = {
  version: string;
  /** The replica id, e.g. 'iris-0' (never its URL: URLs are for routers and admins). */
  replica: string;
  /** From the deployment record. */
  state: ReplicaState;
  /** false when its /metrics could not be read now; counters are then zero. */
  scraped: boolean;
  /** Predictions by HTTP status since the replica started (mlrun_predictions_total). */
  predictions: { status: number; count: number }[];
  /** Predict latency (mlrun_prediction_duration_seconds). */
  latency: TrafficHistogram;
  /** Token checks: L1 hits/misses (mlrun_auth_l1_lookups_total). */
  l1: { hits: number; misses: number };
  /** Calls to the token-validator by outcome (mlrun_auth_validator_calls_total). */
  validatorCalls: { outcome: string; count: number }[];
};

/**
 * `GET /v1/models/{name}/traffic`: every replica of every deployment of the model, scraped now.
 * @example { name: 'iris', sampledAt: '2026-12-06T00:00:00.000Z', replicas: [...] }
 */
export type ModelTraffic = { name: string; sampledAt: string; replicas: ReplicaTraffic[] };

/**
 * One recent failure of a version: a failed prediction on a replica, its build's failure, or a
 * deployment/replica failure. `GET /v1/models/{name}/versions/{version}/errors` answers
 * `{ errors: RecentError[] }` newest first; a replica's `GET /v1/errors` answers the same shape
 * for its own failed predictions (never request bodies or tokens).
 * @example { at: '2026-12-06T00:00:00.000Z', source: 'prediction', replica: 'iris-0', status: 500, code: 'MODEL_ERROR', message: 'predict raised ValueError', requestId: 'b1c…' }
 */
export type RecentError = {
  /** ISO time. */
  at: string;
  source: 'prediction' | 'build' | 'deployment';
  replica?: string;
  status?: number;
  code?: string;
  message: string;
  requestId?: string;
};

/** `GET /v1/models/{name}/versions/{version}/errors` and a replica's `GET /v1/errors`. */
export type RecentErrorsResponse = { errors: RecentError[] };

import { z } from 'zod';

import {
  durationVar,
  enumVar,
  hostPortListVar,
  intVar,
  markSecret,
  optionalSecretVar,
  portVar,
  presentedCredentialVar,
  serverConfigShape,
  stringVar,
} from '@ml-run/config';
import { sandboxConfigShape } from '@ml-run/sandbox';

// host:port, host a name or an IPv4 address (both thin clients take these; no IPv6).
const ENDPOINT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?:([0-9]{1,5})$/;
const ENDPOINTS_HINT =
  'must be a comma-separated list of host:port with ports 1-65535, e.g. 127.0.0.1:10800,ignite-1:10800';

function splitEndpoints(raw: string): string[] {
  return raw.split(',').map((endpoint) => endpoint.trim());
}

// The platform's Kafka login is never a replica's (it would open every ml-run.* topic):
// a wrapper given it fails start. A secret, so that the value is never echoed.
function platformKafkaVar() {
  return markSecret(
    z.undefined({
      error: () =>
        "is the platform's Kafka login, which replicas must not hold: unset it; the builder gives each model its own as MLRUN_KAFKA_MODEL_USERNAME / MLRUN_KAFKA_MODEL_PASSWORD",
    }),
  );
}

// A secret, so that its value (the platform's password) is never echoed in the error.
function platformIgniteVar() {
  return markSecret(
    z.undefined({
      error: () =>
        "belongs to the platform's Ignite, which models must not reach: unset it, and give the " +
        "wrapper the models' Ignite as MLRUN_MODEL_IGNITE_ENDPOINTS",
    }),
  );
}

const isEndpointList = (raw: string): boolean =>
  splitEndpoints(raw).every((endpoint) => {
    const port = Number(ENDPOINT.exec(endpoint)?.[1]);
    return port >= 1 && port <= 65_535;
  });

/** The wrapper's MLRUN_ variables (docs/architecture.md §8, §4). */
export const modelWrapperConfigShape = {
  ...serverConfigShape,
  ...sandboxConfigShape,
  MLRUN_PORT: portVar(9000),
  /** The unpacked bundle to serve. */
  MLRUN_MODEL_DIR: stringVar(),
  /** When set, must equal the manifest's name: guards against serving the wrong bundle. */
  MLRUN_MODEL_NAME: stringVar().optional(),
  /** `bearer`: predict needs a valid token with scope predict:<model>; `disabled`: open. */
  MLRUN_AUTH_MODE: enumVar(['bearer', 'disabled'], 'bearer'),
  MLRUN_VALIDATOR_URL: stringVar({
    default: 'http://127.0.0.1:8092',
    pattern: /^https?:\/\//,
    hint: 'must be an http(s) URL',
  }),
  /**
   * The introspection credential presented to the token-validator (introspection and the
   * revocation stream); required in bearer mode. The wrapper's only credential: it opens no
   * other door. Its MLRUN_METRICS_TOKEN should be the digest (sha256:<hex>).
   */
  MLRUN_INTROSPECTION_TOKEN: presentedCredentialVar(),
  /** Where token.revoked events stream from; default: the validator's /v1/tokens/events. */
  MLRUN_TOKEN_EVENTS_URL: stringVar({
    pattern: /^https?:\/\//,
    hint: 'must be an http(s) URL',
  }).optional(),
  /**
   * The issuer's JWKS (http://<issuer>/v1/auth/jwks). Set: signed tokens
   * (MLRUN_TOKEN_FORMAT=jwt at the issuer) are verified here, with no validator call; unset:
   * they are introspected like opaque ones.
   */
  MLRUN_TOKEN_JWKS_URL: stringVar({
    pattern: /^https?:\/\//,
    hint: 'must be an http(s) URL',
  }).optional(),
  MLRUN_VALIDATOR_TIMEOUT_MS: intVar({ min: 50, max: 60_000, default: 2000 }),
  /**
   * How long a validator answer stays fresh in L1, never past the token's exp: a duration
   * (250ms, 1.5s, 2m; a bare number is seconds), in milliseconds here; 0 asks every time.
   */
  MLRUN_L1_TTL: durationVar({ min: 0, max: 86_400_000, default: 60_000 }),
  /** How long an "inactive" answer is cached: a duration, in milliseconds here. */
  MLRUN_L1_NEGATIVE_TTL: durationVar({ min: 0, max: 3_600_000, default: 2_000 }),
  /** Tokens held in L1; 0 turns L1 off (every request asks the validator). */
  MLRUN_L1_MAX_ENTRIES: intVar({ min: 0, max: 10_000_000, default: 100_000 }),
  /** Predictions served at once; beyond it, 429 with Retry-After. */
  MLRUN_MAX_INFLIGHT: intVar({ min: 1, max: 100_000, default: 64 }),
  /** Model worker processes per replica, any runtime. */
  MLRUN_WORKERS: intVar({ min: 1, max: 256, default: 1 }),
  MLRUN_PYTHON: stringVar({ default: 'python3' }),
  /** Rscript, for runtime r models (Debian r-base-core puts it on PATH). */
  MLRUN_RSCRIPT: stringVar({ default: 'Rscript' }),
  /**
   * Python workers run as this uid and gid (through setpriv), another than the wrapper's, so
   * model code cannot read the wrapper's environment or files. Needs CAP_SETUID and
   * CAP_SETGID (a Swarm replica's launcher hands them over); unset: the wrapper's own uid.
   */
  MLRUN_MODEL_UID: intVar({ min: 1, max: 2_147_483_646 }).optional(),
  /**
   * A unix socket where the worker host of the pod's model container listens (the openshift
   * target): every worker runs there, away from this container's environment and
   * processes; MLRUN_SANDBOX and MLRUN_MODEL_UID then do not apply. Unset: workers are
   * this container's children.
   */
  MLRUN_WORKER_SOCKET: stringVar().optional(),
  /**
   * Apache Ignite thin-client endpoints for the model's `ctx.ignite`, connected before init;
   * unset: the model gets no client.
   */
  MLRUN_MODEL_IGNITE_ENDPOINTS: stringVar()
    .refine(isEndpointList, ENDPOINTS_HINT)
    .transform(splitEndpoints)
    .optional(),
  /**
   * The platform's Ignite (tokens, registry) is never a model's: a wrapper given it, or its
   * login, fails start rather than hand it to the model (it used to be ctx.ignite's variable).
   */
  MLRUN_IGNITE_ENDPOINTS: platformIgniteVar(),
  MLRUN_IGNITE_USERNAME: platformIgniteVar(),
  MLRUN_IGNITE_PASSWORD: platformIgniteVar(),
  /**
   * Cluster mode's asynchronous predictions: with the brokers and the model's own principal
   * (set by the builder), the replica also answers requests from its model's Kafka topic.
   */
  MLRUN_KAFKA_BROKERS: hostPortListVar({ example: 'kafka-0:9092,kafka-1:9092' }).optional(),
  MLRUN_KAFKA_MODEL_USERNAME: stringVar().optional(),
  MLRUN_KAFKA_MODEL_PASSWORD: optionalSecretVar(),
  MLRUN_KAFKA_USERNAME: platformKafkaVar(),
  MLRUN_KAFKA_PASSWORD: platformKafkaVar(),
  /** Kafka messages (requests and stream records) handled at once by this replica. */
  MLRUN_ASYNC_MAX_INFLIGHT: intVar({ min: 1, max: 10_000, default: 16 }),
  /**
   * At most one offset commit per this interval while messages flow: what a killed replica
   * answered since its last commit is answered again by another (and dropped as a duplicate).
   */
  MLRUN_ASYNC_COMMIT_INTERVAL_MS: intVar({ min: 10, max: 3_600_000, default: 500 }),
  /** Stream scoring (`ml-run stream`): topics in the model's namespace ml-run.stream.<name>. */
  MLRUN_STREAM_FROM: stringVar().optional(),
  MLRUN_STREAM_TO: stringVar().optional(),
};

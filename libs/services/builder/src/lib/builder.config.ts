import {
  boolVar,
  enumVar,
  intVar,
  portVar,
  serverConfigShape,
  streamConfigShape,
  stringVar,
  trustedProxiesVar,
  type ConfigOf,
} from '@ml-run/config';
import { DEPLOY_TARGETS } from '@ml-run/registry-contract';
import { expandHome } from '@ml-run/user-directory';

const MIB = 1024 * 1024;
const HTTP_URL = { pattern: /^https?:\/\/[^/]/, hint: 'must be an http(s) URL' };

/** The builder's MLRUN_ variables (docs/architecture.md §6, §8). */
export const builderConfigShape = {
  ...serverConfigShape,
  ...streamConfigShape,
  MLRUN_PORT: portVar(8090),
  /** Registry, bundles, uploads and unpacked models live under here; `~` is expanded. */
  MLRUN_DATA_DIR: stringVar({ default: '~/.ml-run' }).transform(expandHome),
  /** Largest bundle upload; bigger ones get 413 while streaming, nothing is kept. */
  MLRUN_MAX_BUNDLE_BYTES: intVar({ min: 1024, max: 64 * 1024 * MIB, default: 512 * MIB }),
  /** Uploads of up to MLRUN_MAX_BUNDLE_BYTES take longer to send than a prediction. */
  MLRUN_REQUEST_TIMEOUT_MS: intVar({ min: 100, max: 3_600_000, default: 600_000 }),
  /** Where a deployment runs when the request names no target. */
  MLRUN_DEFAULT_TARGET: enumVar(DEPLOY_TARGETS, 'process'),
  /** How long every replica of a deployment may take to become READY. */
  MLRUN_READY_TIMEOUT_SECONDS: intVar({ min: 1, max: 3600, default: 300 }),
  /** Builds run at once on this builder (dependency installs, image builds); the rest queue. */
  MLRUN_MAX_CONCURRENT_BUILDS: intVar({ min: 1, max: 64, default: 2 }),
  /** How long one build may run before it is stopped and fails with BUILD_TIMEOUT. */
  MLRUN_BUILD_TIMEOUT_SECONDS: intVar({ min: 1, max: 86_400, default: 1800 }),
  /**
   * Builds may compile dependencies from source (pip sdists, npm install scripts) when a
   * manifest asks (dependencies.sourceBuilds): that runs the packages' own code, in the
   * build user's sandbox or image step. Off: such uploads get SOURCE_BUILDS_NOT_ALLOWED.
   */
  MLRUN_ALLOW_SOURCE_BUILDS: boolVar(false),
  /** Replicas one user may run across every model (admins are exempt); more: REPLICA_QUOTA_EXCEEDED. */
  MLRUN_MAX_REPLICAS_PER_USER: intVar({ min: 1, max: 100_000, default: 16 }),
  /** Rolling update: how long the old version keeps serving after stable moves. */
  MLRUN_DRAIN_SECONDS: intVar({ min: 0, max: 3600, default: 2 }),
  /**
   * The auth-issuer as the builder reaches it: the console's sign-in and user administration
   * go through the builder's /console/api/issuer/ (one origin for the browser).
   */
  MLRUN_ISSUER_URL: stringVar({ default: 'http://127.0.0.1:8091', ...HTTP_URL }),
  /** The router as the builder reaches it: the console's playground predicts through it. */
  MLRUN_ROUTER_URL: stringVar({ default: 'http://127.0.0.1:8080', ...HTTP_URL }),
  /**
   * Proxies in front of the builder whose x-forwarded-for it believes (addresses or CIDR
   * ranges, comma-separated; OpenShift: its router): the console's proxy passes that client
   * address on to the issuer, whose login throttle counts by it. Unset: the socket's peer.
   */
  MLRUN_TRUSTED_PROXIES: trustedProxiesVar(),
  /** The built console (index.html and its assets); default: `console/` next to main.js. */
  MLRUN_CONSOLE_DIR: stringVar().transform(expandHome).optional(),
};

export type BuilderConfig = ConfigOf<typeof builderConfigShape>;

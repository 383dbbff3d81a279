import {
  intVar,
  portVar,
  secretVar,
  serverConfigShape,
  streamConfigShape,
  type ConfigOf,
} from '@ml-run/config';

const MIN_SERVICE_TOKEN_LENGTH = 32;

/** The validator's MLRUN_ variables (docs/architecture.md §8). */
export const tokenValidatorConfigShape = {
  ...serverConfigShape,
  ...streamConfigShape,
  /**
   * Token event streams per credential. Every wrapper process holds one, and they share
   * their role's credential: size this for the replicas of the whole platform.
   */
  MLRUN_MAX_STREAMS_PER_CREDENTIAL: intVar({ min: 1, max: 100_000, default: 1024 }),
  MLRUN_PORT: portVar(8092),
  /** The credential services (wrappers) present as `Authorization: Bearer`. */
  MLRUN_SERVICE_TOKEN: secretVar({
    minLength: MIN_SERVICE_TOKEN_LENGTH,
    hint: `must be at least ${MIN_SERVICE_TOKEN_LENGTH} characters; generate one with \`openssl rand -base64 32\``,
  }),
};

export type TokenValidatorConfig = ConfigOf<typeof tokenValidatorConfigShape>;

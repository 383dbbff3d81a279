import {
  checkedCredentialVar,
  intVar,
  portVar,
  serverConfigShape,
  streamConfigShape,
  type ConfigOf,
} from '@ml-run/config';

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
  /**
   * The introspection credential wrappers and the builder present (`Authorization: Bearer`)
   * to introspect and to follow revocations; the validator only checks it, so give it the
   * digest (`sha256:<hex>`) rather than the credential.
   */
  MLRUN_INTROSPECTION_TOKEN: checkedCredentialVar({ required: true }),
};

export type TokenValidatorConfig = ConfigOf<typeof tokenValidatorConfigShape>;

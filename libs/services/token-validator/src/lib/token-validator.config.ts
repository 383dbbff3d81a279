import { checkedCredentialVar, portVar, serverConfigShape, type ConfigOf } from '@ml-run/config';

/** The validator's MLRUN_ variables (docs/architecture.md §8). */
export const tokenValidatorConfigShape = {
  ...serverConfigShape,
  MLRUN_PORT: portVar(8092),
  /**
   * The introspection credential wrappers and the builder present (`Authorization: Bearer`)
   * to introspect and to follow revocations; the validator only checks it, so give it the
   * digest (`sha256:<hex>`) rather than the credential.
   */
  MLRUN_INTROSPECTION_TOKEN: checkedCredentialVar({ required: true }),
};

export type TokenValidatorConfig = ConfigOf<typeof tokenValidatorConfigShape>;

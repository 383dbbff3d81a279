import { portVar, secretVar, serverConfigShape, type ConfigOf } from '@ml-run/config';

const MIN_SERVICE_TOKEN_LENGTH = 32;

/** The validator's MLRUN_ variables (docs/architecture.md §8). */
export const tokenValidatorConfigShape = {
  ...serverConfigShape,
  MLRUN_PORT: portVar(8092),
  /** The credential services (wrappers) present as `Authorization: Bearer`. */
  MLRUN_SERVICE_TOKEN: secretVar({
    minLength: MIN_SERVICE_TOKEN_LENGTH,
    hint: `must be at least ${MIN_SERVICE_TOKEN_LENGTH} characters; generate one with \`openssl rand -base64 32\``,
  }),
};

export type TokenValidatorConfig = ConfigOf<typeof tokenValidatorConfigShape>;

import { optionalSecretVar, portVar, serverConfigShape, stringVar } from '@ml-run/config';

/** Embedded mode's own variables; each service also reads its usual MLRUN_ settings. */
export const embeddedConfigShape = {
  MLRUN_LOG_LEVEL: serverConfigShape.MLRUN_LOG_LEVEL,
  MLRUN_ROUTER_PORT: portVar(8080),
  MLRUN_BUILDER_PORT: portVar(8090),
  MLRUN_AUTH_ISSUER_PORT: portVar(8091),
  MLRUN_TOKEN_VALIDATOR_PORT: portVar(8092),
  MLRUN_DATA_DIR: stringVar({ default: '~/.ml-run' }),
  /** Generated on first start and kept in <data dir>/service-token when unset. */
  MLRUN_SERVICE_TOKEN: optionalSecretVar(),
};

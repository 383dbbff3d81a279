import {
  portVar,
  presentedCredentialVar,
  retiredServiceTokenVar,
  serverConfigShape,
  stringVar,
} from '@ml-run/config';
import { sandboxConfigShape } from '@ml-run/sandbox';

/** Embedded mode's own variables; each service also reads its usual MLRUN_ settings. */
export const embeddedConfigShape = {
  MLRUN_LOG_LEVEL: serverConfigShape.MLRUN_LOG_LEVEL,
  MLRUN_ROUTER_PORT: portVar(8080),
  MLRUN_BUILDER_PORT: portVar(8090),
  MLRUN_AUTH_ISSUER_PORT: portVar(8091),
  MLRUN_TOKEN_VALIDATOR_PORT: portVar(8092),
  MLRUN_DATA_DIR: stringVar({ default: '~/.ml-run' }),
  // Each service credential is generated at random on every start unless set: set one only
  // for something outside this process that presents it (a wrapper started by hand, a
  // scraper). The scrape credential is also written to <data dir>/metrics-token.
  MLRUN_INTROSPECTION_TOKEN: presentedCredentialVar(),
  MLRUN_ROUTE_TABLE_TOKEN: presentedCredentialVar(),
  MLRUN_REGISTRY_READ_TOKEN: presentedCredentialVar(),
  MLRUN_METRICS_TOKEN: presentedCredentialVar(),
  MLRUN_SERVICE_TOKEN: retiredServiceTokenVar(),
  /** What replicas' model code is isolated with; npm start takes what the machine allows. */
  ...sandboxConfigShape,
};

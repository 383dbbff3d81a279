export { ConfigError, type ConfigIssue } from './lib/config.errors';
export {
  boolVar,
  enumVar,
  intVar,
  optionalSecretVar,
  portVar,
  secretVar,
  stringVar,
} from './lib/env-fields';
export {
  loadConfig,
  loadConfigWith,
  redactConfig,
  type ConfigOf,
  type ConfigShape,
} from './lib/load-config';
export { serverConfigShape } from './lib/server.config';
export { modelProcessEnv } from './lib/model-process-env';

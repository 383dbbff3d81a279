export { ConfigError, type ConfigIssue } from './lib/config.errors';
export { formatDuration, parseDuration } from './lib/duration';
export {
  boolVar,
  durationVar,
  enumVar,
  hostPortListVar,
  intVar,
  markSecret,
  optionalSecretVar,
  portVar,
  secretVar,
  splitHostPortList,
  stringVar,
} from './lib/env-fields';
export {
  loadConfig,
  loadConfigWith,
  redactConfig,
  type ConfigOf,
  type ConfigShape,
} from './lib/load-config';
export {
  checkedCredentialVar,
  presentedCredentialVar,
  retiredServiceTokenVar,
} from './lib/credential-fields';
export { serverConfigShape, streamConfigShape } from './lib/server.config';
export { proxyEntry, trustedProxiesVar, type ProxyEntry } from './lib/trusted-proxies';
export { buildToolEnv, modelProcessEnv, modelWorkerEnv } from './lib/model-process-env';

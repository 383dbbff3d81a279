export {
  login,
  startAuthPlane,
  type AuthPlane,
  type Credentials,
  type Plane,
  type TokenAnswer,
} from './lib/auth-plane';
export {
  LDAP_USERS,
  startClusterPlane,
  type ClusterPlane,
  type OpenshiftSettings,
  type SwarmSettings,
} from './lib/cluster-plane';
export { platformIgniteLogin, REAL_COMPONENTS } from './lib/real-components';
export {
  digestOf,
  newPlaneCredentials,
  scraperHeaders,
  type PlaneCredentials,
} from './lib/plane-credentials';
export {
  kubernetesFactsFile,
  kubernetesIsUp,
  kubernetesUnderTest,
  type KubernetesUnderTest,
} from './lib/kubernetes-under-test';
export { realKafka, type KafkaSasl, type RealKafka } from './lib/real-kafka';
export {
  childrenOf,
  descendantsOf,
  isAlive,
  isRunning,
  type ProcessEntry,
} from './lib/process-table';
export { registryEnv, registryUnderTest, type RegistryUnderTest } from './lib/registry-under-test';
export {
  freePort,
  REPO_ROOT,
  startApp,
  waitFor200,
  type ServiceProcess,
} from './lib/service-process';

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
  REAL_COMPONENTS,
  startClusterPlane,
  type ClusterPlane,
  type SwarmSettings,
} from './lib/cluster-plane';
export {
  childrenOf,
  descendantsOf,
  isAlive,
  isRunning,
  type ProcessEntry,
} from './lib/process-table';
export {
  freePort,
  REPO_ROOT,
  startApp,
  waitFor200,
  type ServiceProcess,
} from './lib/service-process';

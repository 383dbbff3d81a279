export { login, startAuthPlane, type AuthPlane, type TokenAnswer } from './lib/auth-plane';
export { childrenOf, isAlive } from './lib/process-table';
export {
  freePort,
  REPO_ROOT,
  startApp,
  waitFor200,
  type ServiceProcess,
} from './lib/service-process';

export { ChangeListeners } from './lib/change-listeners';
export { DeployError, DeployErrorCode } from './lib/deploy.errors';
export {
  DEPLOYER,
  type Deployer,
  type DeploymentListener,
  type DeploymentSpec,
} from './lib/deployer.port';
export {
  ProcessDeployer,
  type ProcessDeployerOptions,
  type ReplicaOutputLine,
} from './lib/process/process-deployer';
export {
  httpReadinessProbe,
  type ProbeResult,
  type ReadinessProbe,
} from './lib/process/readiness-probe';
export type { ReplicaChild, SpawnReplica } from './lib/process/replica-process';

export { ChangeListeners } from './lib/change-listeners';
export { DeployError, DeployErrorCode } from './lib/deploy.errors';
export {
  DEPLOYER,
  type Deployer,
  type DeploymentListener,
  type DeploymentSpec,
} from './lib/deployer.port';
// What every target shares: spec checks, the record's state rule, change publishing.
export {
  checkReplicas,
  checkSpec,
  deploymentKey,
  deploymentState,
  PublishedRecord,
  type DeploymentPhase,
} from './lib/deployment-state';
export {
  ProcessDeployer,
  type ProcessDeployerOptions,
  type ProcessSandbox,
  type ReplicaOutputLine,
} from './lib/process/process-deployer';
export {
  httpReadinessProbe,
  type ProbeResult,
  type ReadinessProbe,
} from './lib/process/readiness-probe';
export type { ReplicaChild, SpawnReplica } from './lib/process/replica-process';

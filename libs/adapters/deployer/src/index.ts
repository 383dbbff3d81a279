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
export type { ProbeResult, ReadinessProbe } from './lib/process/readiness-probe';
export type { ReplicaChild, SpawnReplica } from './lib/process/replica-process';

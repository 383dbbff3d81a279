import { RegistryErrorCode } from '@ml-run/registry-contract';

// Codes the builder maps to HTTP answers; a code the registry contract has is its member.
export enum DeployErrorCode {
  /** A replica exited, reported INIT_FAILED or was not ready in time; its replicas were stopped. */
  DeploymentFailed = 'DEPLOYMENT_FAILED',
  DeploymentNotFound = RegistryErrorCode.DeploymentNotFound,
  /** Replicas must be a whole number of at least 1. */
  InvalidReplicas = RegistryErrorCode.InvalidReplicas,
  /** The deployer is shutting down. */
  DeployerClosed = 'DEPLOYER_CLOSED',
  /** Cluster mode, process target: this host cannot sandbox model code (fails closed). */
  SandboxUnavailable = RegistryErrorCode.SandboxUnavailable,
  /** Cluster targets: the namespace's ResourceQuota refused the replicas' pods. */
  QuotaExceeded = 'QUOTA_EXCEEDED',
  /** Cluster targets: the nodes could not pull the model image (named in the message). */
  ImagePullFailed = 'IMAGE_PULL_FAILED',
  /** Cluster targets: the namespace's Pod Security admission refused the replicas' pods. */
  PodSecurityRefused = 'POD_SECURITY_REFUSED',
}

export class DeployError extends Error {
  constructor(
    readonly code: DeployErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeployError';
  }
}

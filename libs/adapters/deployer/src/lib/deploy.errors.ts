// Codes the builder maps to HTTP answers; the strings match RegistryErrorCode where one exists.
export enum DeployErrorCode {
  /** A replica exited, reported INIT_FAILED or was not ready in time; its replicas were stopped. */
  DeploymentFailed = 'DEPLOYMENT_FAILED',
  DeploymentNotFound = 'DEPLOYMENT_NOT_FOUND',
  /** Replicas must be a whole number of at least 1. */
  InvalidReplicas = 'INVALID_REPLICAS',
  /** The deployer is shutting down. */
  DeployerClosed = 'DEPLOYER_CLOSED',
  /** Cluster mode, process target: this host cannot sandbox model code (fails closed). */
  SandboxUnavailable = 'SANDBOX_UNAVAILABLE',
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

import type { DeploymentRecord, ReplicaStatus } from '@ml-run/registry-contract';

import { DeployError, DeployErrorCode } from './deploy.errors';

/** Where a deployment is in its life, apart from the health of its replicas. */
export type DeploymentPhase = 'deploying' | 'running' | 'failed' | 'removed';

export function deploymentKey(name: string, version: string): string {
  return `${name}\n${version}`;
}

export function replicaId(name: string, index: number): string {
  return `${name}-${index}`;
}

export function checkReplicas(replicas: number): void {
  if (Number.isInteger(replicas) && replicas >= 1) return;
  throw new DeployError(
    DeployErrorCode.InvalidReplicas,
    `replicas must be a whole number of at least 1, got ${replicas}; undeploy to stop them all`,
  );
}

// `deploying` covers a first deploy and a scale-up still waiting for its new replicas;
// outside those, any replica that is not ready makes the deployment degraded.
export function deploymentState(
  phase: DeploymentPhase,
  growing: boolean,
  replicas: readonly ReplicaStatus[],
): DeploymentRecord['state'] {
  if (phase === 'failed' || phase === 'removed') return phase;
  if (replicas.length > 0 && replicas.every((replica) => replica.state === 'ready')) return 'ready';
  return phase === 'deploying' || growing ? 'deploying' : 'degraded';
}

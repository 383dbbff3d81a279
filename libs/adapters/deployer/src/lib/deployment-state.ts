import type { DeploymentRecord, ReplicaStatus } from '@ml-run/registry-contract';

import { DeployError, DeployErrorCode } from './deploy.errors';
import type { DeploymentSpec } from './deployer.port';

/** Where a deployment is in its life, apart from the health of its replicas. */
export type DeploymentPhase = 'deploying' | 'running' | 'failed' | 'removed';

export function deploymentKey(name: string, version: string): string {
  return `${name}\n${version}`;
}

export function replicaId(name: string, index: number): string {
  return `${name}-${index}`;
}

/** `max`: the most replicas a target can run (a Swarm port block); none by default. */
export function checkReplicas(replicas: number, max = Number.POSITIVE_INFINITY): void {
  if (Number.isInteger(replicas) && replicas >= 1 && replicas <= max) return;
  const range = Number.isFinite(max) ? `from 1 to ${max}` : 'of at least 1';
  throw new DeployError(
    DeployErrorCode.InvalidReplicas,
    `replicas must be a whole number ${range}, got ${replicas}; undeploy to stop them all`,
  );
}

/** The checks every target makes of a spec before it deploys anything. */
export function checkSpec(spec: DeploymentSpec, maxReplicas?: number): void {
  checkReplicas(spec.replicas, maxReplicas);
  if (!(spec.readyTimeoutMs > 0))
    throw new RangeError(`readyTimeoutMs must be positive, got ${spec.readyTimeoutMs}`);
}

// `deploying` covers a first deploy and a scale-up still waiting for its new replicas;
// outside those, any replica that is not ready makes the deployment degraded. `wanted`
// replicas must be there to be ready (a target may not have created them all yet).
export function deploymentState(
  phase: DeploymentPhase,
  growing: boolean,
  replicas: readonly ReplicaStatus[],
  wanted = 1,
): DeploymentRecord['state'] {
  if (phase === 'failed' || phase === 'removed') return phase;
  const allReady = replicas.every((replica) => replica.state === 'ready');
  if (replicas.length > 0 && replicas.length >= wanted && allReady) return 'ready';
  return phase === 'deploying' || growing ? 'deploying' : 'degraded';
}

/**
 * What a deployment last published. Several steps can leave its record as it was (the
 * last replica ready, then the deploy done): listeners hear about changes only, each
 * with a new `updatedAt`.
 */
export class PublishedRecord {
  updatedAt = new Date().toISOString();
  private fingerprint = '';

  /** The record stamped with a new `updatedAt` when it differs from the last; else undefined. */
  next(record: DeploymentRecord): DeploymentRecord | undefined {
    const fingerprint = JSON.stringify([record.state, record.replicas, record.replicaStatus]);
    if (fingerprint === this.fingerprint) return undefined;
    this.fingerprint = fingerprint;
    this.updatedAt = new Date().toISOString();
    return { ...record, updatedAt: this.updatedAt };
  }
}

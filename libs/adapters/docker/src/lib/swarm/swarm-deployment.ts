import type { DeploymentRecord, ReplicaStatus } from '@ml-run/registry-contract';

import type { SwarmTask } from './swarm-tasks';

/** Where a deployment is in its life, apart from the health of its replicas. */
export type SwarmPhase = 'deploying' | 'running' | 'failed' | 'removed';

export type SwarmDeploymentInit = {
  name: string;
  version: string;
  serviceId: string;
  serviceName: string;
  base: number;
  replicas: number;
  readyTimeoutMs: number;
  phase: SwarmPhase;
};

/** What the deployer knows of one version's service; the last poll's view of its replicas. */
export class SwarmDeployment {
  readonly name: string;
  readonly version: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly base: number;
  readyTimeoutMs: number;
  replicas: number;
  phase: SwarmPhase;
  growing = false;
  tasks: SwarmTask[] = [];
  replicaStatus: ReplicaStatus[] = [];
  private updatedAt = new Date().toISOString();
  private published = '';

  constructor(init: SwarmDeploymentInit) {
    this.name = init.name;
    this.version = init.version;
    this.serviceId = init.serviceId;
    this.serviceName = init.serviceName;
    this.base = init.base;
    this.replicas = init.replicas;
    this.readyTimeoutMs = init.readyTimeoutMs;
    this.phase = init.phase;
  }

  record(): DeploymentRecord {
    const { name, version, replicas, updatedAt } = this;
    const replicaStatus =
      this.phase === 'removed'
        ? this.replicaStatus.map((replica) => ({ ...replica, state: 'stopped' as const }))
        : this.replicaStatus;
    return {
      name,
      version,
      target: 'swarm',
      replicas,
      state: this.state(),
      replicaStatus,
      updatedAt,
    };
  }

  /** True when every wanted replica answers ready. */
  allReady(): boolean {
    const ready = this.replicaStatus.filter((replica) => replica.state === 'ready');
    return ready.length >= this.replicas && ready.length === this.replicaStatus.length;
  }

  /** The record when it differs from the last one published; listeners hear changes only. */
  changed(): DeploymentRecord | undefined {
    const record = this.record();
    const fingerprint = JSON.stringify([record.state, record.replicas, record.replicaStatus]);
    if (fingerprint === this.published) return undefined;
    this.published = fingerprint;
    this.updatedAt = new Date().toISOString();
    return { ...record, updatedAt: this.updatedAt };
  }

  private state(): DeploymentRecord['state'] {
    if (this.phase === 'failed' || this.phase === 'removed') return this.phase;
    if (this.replicaStatus.length > 0 && this.allReady()) return 'ready';
    return this.phase === 'deploying' || this.growing ? 'deploying' : 'degraded';
  }
}

import type Docker from 'dockerode';

import { deploymentState, PublishedRecord, type DeploymentPhase } from '@ml-run/deployer';
import type { DeploymentRecord, ReplicaLimits, ReplicaStatus } from '@ml-run/registry-contract';

import { limitsOfSpec } from './replica-limits';
import { portBaseOf } from './swarm-service-spec';
import type { SwarmTask } from './swarm-tasks';

export type SwarmDeploymentInit = {
  name: string;
  version: string;
  serviceId: string;
  serviceName: string;
  base: number;
  replicas: number;
  readyTimeoutMs: number;
  phase: DeploymentPhase;
  /** The limits each replica runs under (only those the engine enforces). */
  limits: ReplicaLimits;
};

/** What the deployer knows of one version's service; the last poll's view of its replicas. */
export class SwarmDeployment {
  readonly name: string;
  readonly version: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly base: number;
  readonly limits: ReplicaLimits;
  readyTimeoutMs: number;
  replicas: number;
  phase: DeploymentPhase;
  growing = false;
  tasks: SwarmTask[] = [];
  replicaStatus: ReplicaStatus[] = [];
  private readonly published = new PublishedRecord();

  constructor(init: SwarmDeploymentInit) {
    this.name = init.name;
    this.version = init.version;
    this.serviceId = init.serviceId;
    this.serviceName = init.serviceName;
    this.base = init.base;
    this.limits = init.limits;
    this.replicas = init.replicas;
    this.readyTimeoutMs = init.readyTimeoutMs;
    this.phase = init.phase;
  }

  /** A service found on the Swarm (an earlier run's), or undefined when it is not ours. */
  static adopted(
    service: Docker.Service,
    known: { name: string; version: string; serviceName: string; readyTimeoutMs: number },
  ): SwarmDeployment | undefined {
    const base = portBaseOf(service.Spec);
    if (base === undefined) return undefined;
    const template = service.Spec?.TaskTemplate as Docker.ContainerTaskSpec | undefined;
    return new SwarmDeployment({
      ...known,
      serviceId: service.ID,
      base,
      replicas: service.Spec?.Mode?.Replicated?.Replicas ?? 1,
      limits: limitsOfSpec(template?.Resources?.Limits),
      phase: 'running',
    });
  }

  record(): DeploymentRecord {
    const { name, version, replicas } = this;
    const replicaStatus =
      this.phase === 'removed'
        ? this.replicaStatus.map((replica) => ({ ...replica, state: 'stopped' as const }))
        : this.replicaStatus;
    return {
      name,
      version,
      target: 'swarm',
      replicas,
      // Swarm may not have created every wanted task yet: those count as not ready.
      state: deploymentState(this.phase, this.growing, this.replicaStatus, replicas),
      replicaStatus,
      updatedAt: this.published.updatedAt,
      limits: this.limits,
    };
  }

  /** True when every wanted replica answers ready. */
  allReady(): boolean {
    const ready = this.replicaStatus.filter((replica) => replica.state === 'ready');
    return ready.length >= this.replicas && ready.length === this.replicaStatus.length;
  }

  /** The record when it differs from the last one published; listeners hear changes only. */
  changed(): DeploymentRecord | undefined {
    return this.published.next(this.record());
  }
}

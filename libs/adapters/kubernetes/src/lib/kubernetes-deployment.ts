import type { V1Deployment } from '@kubernetes/client-node';

import { deploymentState, PublishedRecord, type DeploymentPhase } from '@ml-run/deployer';
import { memoryBytes } from '@ml-run/model-contract';
import type { DeploymentRecord, ReplicaLimits, ReplicaStatus } from '@ml-run/registry-contract';

import { MODEL_LABELS, VERSION_ANNOTATION } from './model-names';

export type KubernetesDeploymentInit = {
  name: string;
  version: string;
  /** The Deployment's (and Service's) name. */
  instance: string;
  image: string;
  replicas: number;
  readyTimeoutMs: number;
  phase: DeploymentPhase;
  limits: ReplicaLimits;
};

/** Pids are the node's to cap (kubelet podPidsLimit), not a Deployment's. */
const PIDS_NOT_ENFORCED = 'pids: set per node (kubelet podPidsLimit), not per deployment';

/** The limits the container runtime enforces (cgroups), from the manifest's resources. */
export function limitsOf(resources: { cpu: string; memory: string } | undefined): ReplicaLimits {
  if (!resources) return { notEnforced: [PIDS_NOT_ENFORCED] };
  return {
    cpu: resources.cpu,
    memoryBytes: memoryBytes(resources.memory),
    notEnforced: [PIDS_NOT_ENFORCED],
  };
}

/** What the deployer knows of one version's Deployment; the watch's view of its pods. */
export class KubernetesDeployment {
  readonly name: string;
  readonly version: string;
  readonly instance: string;
  readonly limits: ReplicaLimits;
  image: string;
  readyTimeoutMs: number;
  replicas: number;
  phase: DeploymentPhase;
  growing = false;
  replicaStatus: ReplicaStatus[] = [];
  private readonly published = new PublishedRecord();

  constructor(init: KubernetesDeploymentInit) {
    this.name = init.name;
    this.version = init.version;
    this.instance = init.instance;
    this.image = init.image;
    this.limits = init.limits;
    this.replicas = init.replicas;
    this.readyTimeoutMs = init.readyTimeoutMs;
    this.phase = init.phase;
  }

  /** A Deployment found in the namespace (an earlier run's), or undefined when not a model's. */
  static adopted(deployment: V1Deployment, readyTimeoutMs: number) {
    const name = deployment.metadata?.labels?.[MODEL_LABELS.model];
    const version = deployment.metadata?.annotations?.[VERSION_ANNOTATION];
    const instance = deployment.metadata?.name;
    const container = deployment.spec?.template.spec?.containers[0];
    if (!name || !version || !instance || !container?.image) return undefined;
    const limits = container.resources?.limits ?? {};
    const cpu = limits['cpu'];
    const memory = limits['memory'];
    return new KubernetesDeployment({
      name,
      version,
      instance,
      image: container.image,
      replicas: deployment.spec?.replicas ?? 1,
      readyTimeoutMs,
      phase: 'running',
      limits: limitsOf(cpu && memory ? { cpu: String(cpu), memory: String(memory) } : undefined),
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
      target: 'openshift',
      replicas,
      state: deploymentState(this.phase, this.growing, this.replicaStatus, replicas),
      replicaStatus,
      updatedAt: this.published.updatedAt,
      limits: this.limits,
    };
  }

  /** The record when it differs from the last one published; listeners hear changes only. */
  changed(): DeploymentRecord | undefined {
    return this.published.next(this.record());
  }
}

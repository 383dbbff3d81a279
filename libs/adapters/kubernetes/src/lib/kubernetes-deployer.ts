import type { KubernetesObject } from '@kubernetes/client-node';
import { Logger, type LoggerService } from '@nestjs/common';

import {
  ChangeListeners,
  checkReplicas,
  checkSpec,
  DeployError,
  DeployErrorCode,
  deploymentKey,
  type Deployer,
  type DeploymentListener,
  type DeploymentSpec,
} from '@ml-run/deployer';
import { KeyedMutex } from '@ml-run/keyed-mutex';
import type { DeploymentRecord } from '@ml-run/registry-contract';

import { applyRefused } from './api-errors';
import { KubernetesDeployment, limitsOf } from './kubernetes-deployment';
import type { ModelCluster } from './model-cluster';
import { instanceNameOf } from './model-names';
import { modelParameters, type ParameterSettings } from './model-parameters';
import { RolloutWatch, type WaitSettings } from './rollout-watch';

/** Renders the ml-run-model template with one version's parameters. */
export type RenderModel = (parameters: Record<string, string>) => KubernetesObject[];

export type KubernetesDeployerSettings = ParameterSettings &
  WaitSettings & { adoptedReadyTimeoutMs: number; logger?: LoggerService };

/**
 * The `openshift` target: one Deployment, Service and settings Secret per model version,
 * applied server-side in one namespace. Deployments outlive the deployer: close() only
 * stops watching, and adopt() picks them up again.
 */
export class KubernetesDeployer implements Deployer {
  readonly target = 'openshift' as const;
  private readonly logger: LoggerService;
  private readonly deployments = new Map<string, KubernetesDeployment>();
  private readonly queue = new KeyedMutex();
  private readonly listeners = new ChangeListeners();
  private readonly rollouts: RolloutWatch;
  private closed = false;

  constructor(
    private readonly cluster: ModelCluster,
    private readonly render: RenderModel,
    private readonly settings: KubernetesDeployerSettings,
  ) {
    this.logger = settings.logger ?? new Logger(KubernetesDeployer.name);
    this.rollouts = new RolloutWatch(cluster, settings, (deployment) => this.publish(deployment));
  }

  async deploy(spec: DeploymentSpec): Promise<DeploymentRecord> {
    checkSpec(spec);
    const image = spec.image;
    if (!image)
      throw new DeployError(
        DeployErrorCode.DeploymentFailed,
        `${spec.name} ${spec.version} has no pushed image: the openshift target runs images, so build it with a builder that has MLRUN_DOCKER_HOST`,
      );
    return this.serialize(spec.name, spec.version, async () => {
      const existing = this.known(spec.name, spec.version);
      return existing ? this.update(existing, { ...spec, image }) : this.create({ ...spec, image });
    });
  }

  async scale(name: string, version: string, replicas: number): Promise<DeploymentRecord> {
    checkReplicas(replicas);
    return this.serialize(name, version, async () => {
      const deployment = this.known(name, version);
      if (!deployment)
        throw new DeployError(
          DeployErrorCode.DeploymentNotFound,
          `${name} ${version} is not deployed`,
        );
      const previous = deployment.replicas;
      if (replicas === previous) return deployment.record();
      const generation = await this.cluster.setReplicas(deployment.instance, replicas);
      deployment.replicas = replicas;
      return this.settle(deployment, generation, previous);
    });
  }

  // Not queued behind a pending deploy or scale: undeploying is how a hanging one is ended.
  async undeploy(name: string, version: string): Promise<void> {
    const key = deploymentKey(name, version);
    const deployment = this.deployments.get(key);
    this.deployments.delete(key);
    if (deployment) {
      deployment.phase = 'removed';
      this.publish(deployment);
    }
    const instance = deployment?.instance ?? this.instanceOf(name, version);
    await this.cluster.remove(instance);
    await this.rollouts.untilGone(instance);
  }

  list(): DeploymentRecord[] {
    return [...this.deployments.values()].map((deployment) => deployment.record());
  }

  get(name: string, version: string): DeploymentRecord | undefined {
    return this.deployments.get(deploymentKey(name, version))?.record();
  }

  onChange(listener: DeploymentListener): () => void {
    return this.listeners.add(listener);
  }

  /** Takes over this installation's Deployments in the namespace (an earlier run's). */
  async adopt(): Promise<DeploymentRecord[]> {
    for (const found of await this.cluster.listDeployments()) {
      const deployment = KubernetesDeployment.adopted(found, this.settings.adoptedReadyTimeoutMs);
      if (!deployment) continue;
      const key = deploymentKey(deployment.name, deployment.version);
      if (this.deployments.has(key)) continue;
      this.deployments.set(key, deployment);
      this.rollouts.refresh(deployment);
    }
    return this.list();
  }

  /** The watch saw a change: every record is computed again and published if it changed. */
  refreshAll(): void {
    for (const deployment of this.deployments.values()) this.rollouts.refresh(deployment);
  }

  // Stops watching only: the Deployments keep running.
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.cluster.stop();
  }

  private async create(spec: DeploymentSpec & { image: string }): Promise<DeploymentRecord> {
    const { name, version, replicas, readyTimeoutMs, image } = spec;
    const instance = this.instanceOf(name, version);
    const deployment = new KubernetesDeployment({
      ...{ name, version, instance, image, replicas, readyTimeoutMs },
      phase: 'deploying',
      limits: limitsOf(spec.resources),
    });
    this.deployments.set(deploymentKey(name, version), deployment);
    this.publish(deployment);
    try {
      const generation = await this.apply(spec);
      await this.rollouts.wait(deployment, generation, readyTimeoutMs);
    } catch (error) {
      if (deployment.phase !== 'removed') {
        deployment.phase = 'failed';
        this.publish(deployment);
        this.deployments.delete(deploymentKey(name, version));
        await this.cluster.remove(instance).catch((cleanup: unknown) => {
          this.logger.warn({ err: cleanup, instance }, 'could not remove a failed deployment');
        });
      }
      throw applyRefused(spec, error);
    }
    deployment.phase = 'running';
    this.publish(deployment);
    return deployment.record();
  }

  // Applied again: the same settings only scale; new ones roll the pods (maxUnavailable 0,
  // so the replicas that serve keep serving until their successors are ready).
  private async update(
    deployment: KubernetesDeployment,
    spec: DeploymentSpec & { image: string },
  ): Promise<DeploymentRecord> {
    const previous = deployment.replicas;
    deployment.readyTimeoutMs = spec.readyTimeoutMs;
    deployment.image = spec.image;
    const generation = await this.apply(spec).catch((error: unknown) => {
      throw applyRefused(spec, error);
    });
    deployment.replicas = spec.replicas;
    return this.settle(deployment, generation, previous);
  }

  private async settle(
    deployment: KubernetesDeployment,
    generation: number,
    previous: number,
  ): Promise<DeploymentRecord> {
    deployment.growing = deployment.replicas > previous;
    try {
      await this.rollouts.wait(deployment, generation, deployment.readyTimeoutMs);
    } catch (error) {
      if (deployment.phase !== 'removed' && deployment.growing) {
        // The replicas that were serving keep serving; only the new ones go.
        deployment.replicas = previous;
        await this.cluster.setReplicas(deployment.instance, previous).catch(() => undefined);
      }
      throw applyRefused(deployment, error);
    } finally {
      deployment.growing = false;
      this.publish(deployment);
    }
    return deployment.record();
  }

  /** Applies the rendered objects; the Deployment's new generation. */
  private async apply(spec: DeploymentSpec & { image: string }): Promise<number> {
    const objects = this.render(modelParameters(spec, this.settings));
    return this.cluster.apply(objects);
  }

  private known(name: string, version: string): KubernetesDeployment | undefined {
    const key = deploymentKey(name, version);
    const existing = this.deployments.get(key);
    if (existing) return existing;
    const found = this.cluster.deployment(this.instanceOf(name, version));
    const deployment =
      found && KubernetesDeployment.adopted(found, this.settings.adoptedReadyTimeoutMs);
    if (!deployment) return undefined;
    this.deployments.set(key, deployment);
    this.rollouts.refresh(deployment);
    return deployment;
  }

  private instanceOf(name: string, version: string): string {
    return instanceNameOf(this.settings.installation, name, version);
  }

  private publish(deployment: KubernetesDeployment): void {
    const record = deployment.changed();
    if (record) this.listeners.emit(record);
  }

  // One change at a time per version, so a scale never races the deploy it follows.
  private serialize<T>(name: string, version: string, operation: () => Promise<T>): Promise<T> {
    return this.queue.run(deploymentKey(name, version), () => {
      if (this.closed)
        throw new DeployError(DeployErrorCode.DeployerClosed, 'the deployer is shutting down');
      return operation();
    });
  }
}

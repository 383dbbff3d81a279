import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type Docker from 'dockerode';

import {
  ChangeListeners,
  checkReplicas,
  DeployError,
  DeployErrorCode,
  deploymentKey,
  httpReadinessProbe,
  type Deployer,
  type DeploymentListener,
  type DeploymentSpec,
  type ProbeResult,
  type ReadinessProbe,
} from '@ml-run/deployer';
import { KeyedMutex } from '@ml-run/keyed-mutex';
import type { DeploymentRecord } from '@ml-run/registry-contract';

import { authConfigOf } from '../registry/registry-access';
import { checkSwarmSpec, failure, isNumber } from './deploy-checks';
import { DEFAULT_PORT_RANGE, freePortBlock, MAX_REPLICAS } from './port-blocks';
import { plannedLimits, type PlannedLimits } from './replica-limits';
import type { SwarmDeployerOptions } from './swarm-deployer-options';
import { SwarmDeployment } from './swarm-deployment';
import {
  portBaseOf,
  replicaUrl,
  serviceNameOf,
  serviceSpecOf,
  SWARM_LABELS,
} from './swarm-service-spec';
import { SwarmServices } from './swarm-services';
import { activeSlots, hasLeavingTasks, replicaStatuses, taskFailures } from './swarm-tasks';

// Each lost claim means another builder just took that block; a few tries are plenty.
const MAX_CLAIMS = 5;
// The queue key of service creation; deployment keys always hold a newline.
const CREATING = 'creating';
// Processes and threads per replica: node (about a dozen threads), a few python workers and
// their libraries' thread pools fit; a fork bomb does not.
const DEFAULT_PIDS_LIMIT = 512;

export type { SwarmDeployerOptions } from './swarm-deployer-options';

/**
 * The `swarm` target: one Docker Swarm service per model version, host networking, one
 * port per replica slot. Services outlive the deployer: Swarm keeps them running across
 * builder restarts, close() only stops watching, and adopt() picks them up again.
 */
export class SwarmDeployer implements Deployer {
  readonly target = 'swarm' as const;
  private readonly logger = new Logger(SwarmDeployer.name);
  private readonly swarm: SwarmServices;
  private readonly deployments = new Map<string, SwarmDeployment>();
  private readonly queue = new KeyedMutex();
  private readonly listeners = new ChangeListeners();
  private readonly options: Required<Omit<SwarmDeployerOptions, 'probe' | 'registry'>> & {
    probe: ReadinessProbe;
  };
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(docker: Docker, options: SwarmDeployerOptions = {}) {
    const { registry } = options;
    this.swarm = new SwarmServices(
      docker,
      registry?.pull ? authConfigOf(registry.address, registry.pull) : undefined,
    );
    this.options = {
      namespace: options.namespace ?? 'default',
      portRange: options.portRange ?? DEFAULT_PORT_RANGE,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      waitIntervalMs: options.waitIntervalMs ?? 250,
      probeTimeoutMs: options.probeTimeoutMs ?? 1_000,
      adoptedReadyTimeoutMs: options.adoptedReadyTimeoutMs ?? 120_000,
      pidsLimit: options.pidsLimit ?? DEFAULT_PIDS_LIMIT,
      probe: options.probe ?? httpReadinessProbe,
    };
  }

  async deploy(spec: DeploymentSpec): Promise<DeploymentRecord> {
    const image = checkSwarmSpec(spec);
    return this.serialize(spec.name, spec.version, async () => {
      const existing = await this.known(spec.name, spec.version);
      if (existing) {
        existing.readyTimeoutMs = spec.readyTimeoutMs;
        return this.scaleTo(existing, spec.replicas);
      }
      return this.create({ ...spec, env: { ...spec.env }, image });
    });
  }

  async scale(name: string, version: string, replicas: number): Promise<DeploymentRecord> {
    checkReplicas(replicas, MAX_REPLICAS);
    return this.serialize(name, version, async () => {
      const deployment = await this.known(name, version);
      if (!deployment)
        throw new DeployError(
          DeployErrorCode.DeploymentNotFound,
          `${name} ${version} is not deployed`,
        );
      return this.scaleTo(deployment, replicas);
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
    const serviceId =
      deployment?.serviceId ?? (await this.swarm.find(this.serviceName(name, version)))?.ID;
    if (serviceId) await this.swarm.remove(serviceId, this.options.waitIntervalMs);
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

  /**
   * Picks up this namespace's services already on the Swarm (after a restart); returns
   * them. Other installations' services stay theirs.
   */
  async adopt(): Promise<DeploymentRecord[]> {
    for (const service of await this.swarm.managed(this.options.namespace)) {
      const labels = service.Spec?.Labels ?? {};
      const name = labels[SWARM_LABELS.name];
      const version = labels[SWARM_LABELS.version];
      if (name === undefined || version === undefined) continue;
      await this.known(name, version);
    }
    return this.list();
  }

  // Stops watching only: the services keep running (Swarm restarts them with the engine).
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private async create(spec: DeploymentSpec & { image: string }): Promise<DeploymentRecord> {
    const since = Date.now();
    const deployment = await this.createService(spec);
    try {
      await this.waitUntil(deployment, spec.readyTimeoutMs, since, () => deployment.allReady());
    } catch (error) {
      if (deployment.phase === 'removed') throw failure(spec, error);
      deployment.phase = 'failed';
      this.publish(deployment);
      this.deployments.delete(deploymentKey(spec.name, spec.version));
      const log = await this.swarm.lastLines(deployment.serviceId, 3).catch(() => []);
      await this.swarm.remove(deployment.serviceId, this.options.waitIntervalMs);
      throw failure(spec, error, log);
    }
    deployment.phase = 'running';
    this.publish(deployment);
    return deployment.record();
  }

  // One creation at a time here; another builder on this Swarm may pick the same block at
  // the same moment, so a block is only ours once no earlier service claims it.
  private createService(spec: DeploymentSpec & { image: string }): Promise<SwarmDeployment> {
    return this.queue.run(CREATING, async () => {
      const limits = await this.limitsFor(spec);
      const { serviceId, serviceName, base } = await this.claimPortBlock(spec, limits);
      const { name, version, replicas, readyTimeoutMs } = spec;
      const init = { name, version, serviceId, serviceName, base, replicas, readyTimeoutMs };
      const deployment = new SwarmDeployment({
        ...init,
        limits: limits.record,
        phase: 'deploying',
      });
      this.deployments.set(deploymentKey(name, version), deployment);
      this.watch();
      this.publish(deployment);
      return deployment;
    });
  }

  // Only limits the engine enforces go into the spec and the record; the others are said.
  private async limitsFor(spec: DeploymentSpec): Promise<PlannedLimits> {
    const limits = plannedLimits(spec.resources, this.options.pidsLimit, await this.swarm.engine());
    const { notEnforced } = limits.record;
    const about = { model: spec.name, version: spec.version, notEnforced };
    if (notEnforced.length > 0) this.logger.warn(about, 'replica limits not enforced');
    return limits;
  }

  private async claimPortBlock(
    spec: DeploymentSpec & { image: string },
    limits: PlannedLimits,
  ): Promise<{ serviceId: string; serviceName: string; base: number }> {
    const lost: number[] = [];
    for (let attempt = 1; attempt <= MAX_CLAIMS; attempt++) {
      // Ports belong to the host: blocks of every namespace are taken.
      const used = (await this.swarm.managed()).map((service) => portBaseOf(service.Spec));
      const own = [...this.deployments.values()].map((deployment) => deployment.base);
      const taken = [...own, ...used, ...lost].filter(isNumber);
      const base = freePortBlock(this.options.portRange, taken);
      if (base === undefined)
        throw failure(spec, new Error('no free port block left in the range'));
      const serviceSpec = serviceSpecOf(spec, base, this.options.namespace, limits.spec);
      const serviceId = await this.swarm.create(serviceSpec);
      const rival = await this.swarm.earlierClaim(serviceId, base);
      if (rival === undefined) return { serviceId, serviceName: serviceSpec.Name ?? '', base };
      await this.swarm.remove(serviceId, this.options.waitIntervalMs);
      lost.push(base);
    }
    throw failure(spec, new Error(`no port block could be claimed in ${MAX_CLAIMS} attempts`));
  }

  private async scaleTo(deployment: SwarmDeployment, replicas: number): Promise<DeploymentRecord> {
    const previous = deployment.replicas;
    if (replicas === previous) return deployment.record();
    const since = Date.now();
    deployment.replicas = replicas;
    deployment.growing = replicas > previous;
    await this.swarm.setReplicas(deployment.serviceId, replicas);
    try {
      const done = deployment.growing
        ? () => deployment.allReady()
        : () =>
            activeSlots(deployment.tasks).length === replicas && !hasLeavingTasks(deployment.tasks);
      await this.waitUntil(deployment, deployment.readyTimeoutMs, since, done);
    } catch (error) {
      if (deployment.phase === 'removed') throw failure(deployment, error);
      // The replicas that were serving keep serving; only the new ones go.
      deployment.replicas = previous;
      await this.swarm.setReplicas(deployment.serviceId, previous);
      throw failure(deployment, error);
    } finally {
      deployment.growing = false;
      this.publish(deployment);
    }
    return deployment.record();
  }

  private async waitUntil(
    deployment: SwarmDeployment,
    timeoutMs: number,
    since: number,
    done: () => boolean,
  ): Promise<void> {
    const deadline = since + timeoutMs;
    for (;;) {
      await this.refresh(deployment);
      if (deployment.phase === 'removed')
        throw new Error('undeployed while its replicas were starting');
      if (done()) return;
      const failed = deployment.replicaStatus.filter((replica) => replica.state === 'failed');
      const reasons = [
        ...failed.map((replica) => `${replica.id}: ${replica.error}`),
        ...taskFailures(deployment.tasks, since),
      ];
      if (reasons.length > 0) throw new Error([...new Set(reasons)].join('; '));
      if (Date.now() >= deadline) throw new Error(`not ready within ${timeoutMs} ms`);
      await sleep(this.options.waitIntervalMs);
    }
  }

  private async refresh(deployment: SwarmDeployment): Promise<void> {
    const tasks = await this.swarm.tasks(deployment.serviceId);
    const { probe, probeTimeoutMs } = this.options;
    const probes = new Map<number, ProbeResult>();
    await Promise.all(
      activeSlots(tasks).map(async (slot) =>
        probes.set(slot, await probe(replicaUrl(deployment.base, slot), probeTimeoutMs)),
      ),
    );
    if (deployment.phase === 'removed') return;
    deployment.tasks = tasks;
    deployment.replicaStatus = replicaStatuses(
      deployment.serviceName,
      deployment.base,
      tasks,
      probes,
    );
    this.publish(deployment);
  }

  // A simple poll keeps records current between operations (a crashed or restarted task).
  private watch(): void {
    if (this.timer || this.closed) return;
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const running = [...this.deployments.values()].filter((each) => each.phase === 'running');
      void Promise.all(running.map((each) => this.refresh(each).catch(() => undefined))).finally(
        () => (busy = false),
      );
    }, this.options.pollIntervalMs);
    this.timer.unref();
  }

  private async known(name: string, version: string): Promise<SwarmDeployment | undefined> {
    const key = deploymentKey(name, version);
    const existing = this.deployments.get(key);
    if (existing) return existing;
    const serviceName = this.serviceName(name, version);
    const service = await this.swarm.find(serviceName);
    const readyTimeoutMs = this.options.adoptedReadyTimeoutMs;
    const deployment =
      service && SwarmDeployment.adopted(service, { name, version, serviceName, readyTimeoutMs });
    if (!deployment) return undefined;
    this.deployments.set(key, deployment);
    this.watch();
    await this.refresh(deployment);
    return deployment;
  }

  private serviceName(name: string, version: string): string {
    return serviceNameOf(this.options.namespace, name, version);
  }

  private publish(deployment: SwarmDeployment): void {
    const record = deployment.changed();
    if (!record) return;
    this.listeners.emit(record);
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

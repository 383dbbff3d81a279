import type { DeploymentRecord, ReplicaStatus } from '@ml-run/registry-contract';

import { ChangeListeners } from '../lib/change-listeners';
import { DeployError, DeployErrorCode } from '../lib/deploy.errors';
import type { Deployer, DeploymentListener, DeploymentSpec } from '../lib/deployer.port';
import { checkReplicas, deploymentKey, deploymentState, replicaId } from '../lib/deployment-state';

export type MemoryDeployerOptions = {
  /** Base URL of a replica; default http://memory.invalid/<name>/<version>/<index>/<restarts>. */
  urlFor?: (name: string, version: string, index: number, restarts: number) => string;
};

const defaultUrl = (name: string, version: string, index: number, restarts: number) =>
  `http://memory.invalid/${encodeURIComponent(name)}/${encodeURIComponent(version)}/${index}/${restarts}`;

/**
 * A Deployer without processes, for other services' unit tests: deploys are ready at once
 * on fake URLs; `failNext` and `crash` script the failures. Reports changes like the real
 * one: `deploying` then `ready` (or `failed`), `degraded` after a crash, `removed`.
 */
export class MemoryDeployer implements Deployer {
  readonly target = 'process' as const;
  /** Every spec deploy() was called with, oldest first. */
  readonly deployed: DeploymentSpec[] = [];
  private readonly deployments = new Map<string, DeploymentRecord>();
  private readonly listeners = new ChangeListeners();
  private readonly failures: string[] = [];
  private readonly urlFor: NonNullable<MemoryDeployerOptions['urlFor']>;
  private closed = false;

  constructor(options: MemoryDeployerOptions = {}) {
    this.urlFor = options.urlFor ?? defaultUrl;
  }

  /** The next deploy or scale-up fails as if the model's init had raised `message`. */
  failNext(message: string): void {
    this.failures.push(message);
  }

  /** Replica `index` dies: failed, the deployment degraded, until `recover`. */
  crash(
    name: string,
    version: string,
    index: number,
    error = 'was killed by SIGKILL',
  ): DeploymentRecord {
    return this.updateReplica(name, version, index, (replica) => ({
      ...replica,
      state: 'failed',
      error,
    }));
  }

  /** Replica `index` is back, restarted on a new URL, as the process deployer does. */
  recover(name: string, version: string, index: number): DeploymentRecord {
    return this.updateReplica(name, version, index, (replica) => ({
      id: replica.id,
      url: this.urlFor(name, version, index, replica.restarts + 1),
      state: 'ready',
      restarts: replica.restarts + 1,
    }));
  }

  async deploy(spec: DeploymentSpec): Promise<DeploymentRecord> {
    checkReplicas(spec.replicas);
    this.checkOpen();
    this.deployed.push(structuredClone(spec));
    const { name, version } = spec;
    if (this.deployments.has(deploymentKey(name, version)))
      return this.scale(name, version, spec.replicas);
    const starting = this.replicas(name, version, 0, spec.replicas, 'starting');
    this.publish({
      ...this.blank(name, version),
      replicas: spec.replicas,
      state: 'deploying',
      replicaStatus: starting,
    });
    const failure = this.failures.shift();
    if (failure !== undefined) {
      const replicaStatus = starting.map((replica, index): ReplicaStatus =>
        index === 0
          ? { ...replica, state: 'failed', error: failure }
          : { ...replica, state: 'stopped' },
      );
      this.publish({
        ...this.blank(name, version),
        replicas: spec.replicas,
        state: 'failed',
        replicaStatus,
      });
      throw this.failure(name, version, starting[0]?.id ?? replicaId(name, 0), failure);
    }
    const replicaStatus = starting.map((replica): ReplicaStatus => ({
      ...replica,
      state: 'ready',
    }));
    return this.store({
      ...this.blank(name, version),
      replicas: spec.replicas,
      state: 'ready',
      replicaStatus,
    });
  }

  async scale(name: string, version: string, replicas: number): Promise<DeploymentRecord> {
    checkReplicas(replicas);
    this.checkOpen();
    const record = this.find(name, version);
    const kept = record.replicaStatus.slice(0, replicas);
    const first = kept.length;
    const added = this.replicas(name, version, first, replicas - first, 'ready');
    const failure = added.length > 0 ? this.failures.shift() : undefined;
    if (failure !== undefined) throw this.failure(name, version, replicaId(name, first), failure);
    const replicaStatus = [...kept, ...added];
    return this.store({
      ...record,
      replicas,
      replicaStatus,
      state: deploymentState('running', false, replicaStatus),
    });
  }

  async undeploy(name: string, version: string): Promise<void> {
    const key = deploymentKey(name, version);
    const record = this.deployments.get(key);
    if (!record) return;
    this.deployments.delete(key);
    this.publish({ ...record, state: 'removed', updatedAt: new Date().toISOString() });
  }

  list(): DeploymentRecord[] {
    return [...this.deployments.values()].map((record) => structuredClone(record));
  }

  get(name: string, version: string): DeploymentRecord | undefined {
    const record = this.deployments.get(deploymentKey(name, version));
    return record && structuredClone(record);
  }

  onChange(listener: DeploymentListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const record of this.list()) await this.undeploy(record.name, record.version);
  }

  private updateReplica(
    name: string,
    version: string,
    index: number,
    change: (replica: ReplicaStatus) => ReplicaStatus,
  ): DeploymentRecord {
    const record = this.find(name, version);
    const replica = record.replicaStatus[index];
    if (!replica) throw new RangeError(`${name} ${version} has no replica ${index}`);
    const replicaStatus = record.replicaStatus.map((each, at) =>
      at === index ? change(each) : each,
    );
    return this.store({
      ...record,
      replicaStatus,
      state: deploymentState('running', false, replicaStatus),
    });
  }

  private replicas(
    name: string,
    version: string,
    first: number,
    count: number,
    state: ReplicaStatus['state'],
  ): ReplicaStatus[] {
    return Array.from({ length: count }, (_, offset) => ({
      id: replicaId(name, first + offset),
      url: this.urlFor(name, version, first + offset, 0),
      state,
      restarts: 0,
    }));
  }

  private blank(
    name: string,
    version: string,
  ): Omit<DeploymentRecord, 'replicas' | 'state' | 'replicaStatus'> {
    return { name, version, target: this.target, updatedAt: new Date().toISOString() };
  }

  private find(name: string, version: string): DeploymentRecord {
    const record = this.deployments.get(deploymentKey(name, version));
    if (!record)
      throw new DeployError(
        DeployErrorCode.DeploymentNotFound,
        `${name} ${version} is not deployed`,
      );
    return record;
  }

  private store(record: DeploymentRecord): DeploymentRecord {
    const stored = { ...record, updatedAt: new Date().toISOString() };
    this.deployments.set(deploymentKey(record.name, record.version), stored);
    this.publish(stored);
    return structuredClone(stored);
  }

  private publish(record: DeploymentRecord): void {
    this.listeners.emit(structuredClone(record));
  }

  private failure(name: string, version: string, replica: string, message: string): DeployError {
    return new DeployError(
      DeployErrorCode.DeploymentFailed,
      `${name} ${version} did not start: replica ${replica}: ${message}`,
    );
  }

  private checkOpen(): void {
    if (this.closed)
      throw new DeployError(DeployErrorCode.DeployerClosed, 'the deployer is shutting down');
  }
}

import type { DeploymentRecord } from '@ml-run/registry-contract';

import { DeployError, DeployErrorCode } from '../deploy.errors';
import type { DeploymentSpec } from '../deployer.port';
import {
  deploymentState,
  PublishedRecord,
  replicaId,
  type DeploymentPhase,
} from '../deployment-state';
import type { Replica } from './replica';

export type ReplicaFactory = (id: string, onChange: () => void) => Replica;

/** One deployed version's replicas; the deployer serializes the calls that change them. */
export class ProcessDeployment {
  private replicas: Replica[] = [];
  private phase: DeploymentPhase = 'deploying';
  private growing = 0;
  private desired: number;
  private readonly published = new PublishedRecord();

  constructor(
    readonly spec: DeploymentSpec,
    private readonly createReplica: ReplicaFactory,
    private readonly publish: (record: DeploymentRecord) => void,
  ) {
    this.desired = spec.replicas;
  }

  record(): DeploymentRecord {
    const { name, version } = this.spec;
    const replicaStatus = this.replicas.map((replica) => replica.status());
    const state = deploymentState(this.phase, this.growing > 0, replicaStatus);
    const { desired: replicas } = this;
    const { updatedAt } = this.published;
    return { name, version, target: 'process', replicas, state, replicaStatus, updatedAt };
  }

  pids(): number[] {
    return this.replicas.flatMap((replica) => replica.pids());
  }

  /** The first deploy: every replica ready, or all stopped and a DeployError. */
  async start(): Promise<DeploymentRecord> {
    try {
      await this.grow(this.spec.replicas);
    } catch (error) {
      if (this.phase === 'removed') throw this.failure(error);
      this.phase = 'failed';
      await Promise.all(this.replicas.map((replica) => replica.stop()));
      this.changed();
      throw this.failure(error);
    }
    this.phase = 'running';
    this.changed();
    return this.record();
  }

  async scaleTo(count: number): Promise<DeploymentRecord> {
    if (count > this.replicas.length) await this.scaleUp(count);
    else if (count < this.replicas.length) await this.scaleDown(count);
    return this.record();
  }

  /** Undeploy: routes go first (the record says removed), then the processes. */
  async remove(): Promise<void> {
    if (this.phase === 'removed') return;
    this.phase = 'removed';
    this.changed();
    await Promise.all(this.replicas.map((replica) => replica.stop()));
  }

  private async scaleUp(count: number): Promise<void> {
    const previous = this.desired;
    const before = this.replicas;
    try {
      await this.grow(count - this.replicas.length);
    } catch (error) {
      if (this.phase === 'removed') throw this.failure(error);
      // The replicas that were serving keep serving; only the new ones go.
      const added = this.replicas.filter((replica) => !before.includes(replica));
      this.replicas = before;
      this.desired = previous;
      this.changed();
      await Promise.all(added.map((replica) => replica.stop()));
      throw this.failure(error);
    }
  }

  // Out of the record first, so the router stops sending before the processes stop.
  private async scaleDown(count: number): Promise<void> {
    const removed = this.replicas.slice(count);
    this.replicas = this.replicas.slice(0, count);
    this.desired = count;
    this.changed();
    await Promise.all(removed.map((replica) => replica.stop()));
  }

  private async grow(count: number): Promise<void> {
    const first = this.replicas.length;
    const added = Array.from({ length: count }, (_, offset) => {
      const replica: Replica = this.createReplica(replicaId(this.spec.name, first + offset), () =>
        this.onReplicaChange(replica),
      );
      return replica;
    });
    this.replicas = [...this.replicas, ...added];
    this.desired = this.replicas.length;
    this.growing += 1;
    try {
      await Promise.all(added.map((replica) => replica.start()));
    } finally {
      this.growing -= 1;
    }
    if (this.phase === 'removed') throw new Error('undeployed while its replicas were starting');
  }

  // Replicas being torn down after a failure, or already out of the record, stay quiet:
  // the deployment reports once when they are gone.
  private onReplicaChange(replica: Replica): void {
    if (this.phase === 'failed' || this.phase === 'removed') return;
    if (this.replicas.includes(replica)) this.changed();
  }

  private changed(): void {
    const record = this.published.next(this.record());
    if (record) this.publish(record);
  }

  private failure(error: unknown): DeployError {
    const { name, version } = this.spec;
    const reason = error instanceof Error ? error.message : String(error);
    return new DeployError(
      DeployErrorCode.DeploymentFailed,
      `${name} ${version} did not start: ${reason}`,
    );
  }
}

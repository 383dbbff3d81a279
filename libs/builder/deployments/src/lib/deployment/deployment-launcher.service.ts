import { Inject, Injectable, Logger } from '@nestjs/common';

import { ModelEvents } from '@ml-run/builder-registry';
import { DEPLOYER, type Deployer } from '@ml-run/deployer';
import type {
  DeploymentRecord,
  DeploymentStream,
  ModelVersionRecord,
} from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { DeploymentSpecs } from './deployment-specs.service';
import { ModelPrincipalLifecycle } from './model-principal-lifecycle.service';
import { newPrincipalGeneration } from './model-principals.port';

/**
 * Starts and stops deployments through the Deployer, keeping the desired state in the
 * registry (so a restart brings them back) and publishing deployment.* events.
 */
@Injectable()
export class DeploymentLauncher {
  private readonly logger = new Logger(DeploymentLauncher.name);

  constructor(
    @Inject(DEPLOYER) private readonly deployer: Deployer,
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly specs: DeploymentSpecs,
    private readonly events: ModelEvents,
    private readonly principalLifecycle: ModelPrincipalLifecycle,
  ) {}

  /**
   * Deploys (or, when deployed, scales) a built version; resolves once every replica is
   * READY, recording who deployed it (a restore passes on whom the record names). A
   * `stream` replaces the recorded one; none keeps it. Replicas read their stream at start,
   * so a changed stream restarts the version's replicas (Kafka keeps the records meanwhile).
   */
  async launch(
    version: ModelVersionRecord,
    replicas: number,
    deployedBy?: string,
    stream?: DeploymentStream,
  ): Promise<DeploymentRecord> {
    const { name } = version;
    const desiredOfModel = await this.store.listDesiredDeployments(name);
    const desired = desiredOfModel.find((candidate) => candidate.version === version.version);
    const wanted = stream ?? desired?.stream;
    // All versions of a model share one principal, so one generation; none left: a new one.
    const principalGeneration =
      desiredOfModel.find((candidate) => candidate.principalGeneration)?.principalGeneration ??
      newPrincipalGeneration();
    let running = this.deployer.get(name, version.version) !== undefined;
    if (running && stream !== undefined && !sameStream(stream, desired?.stream)) {
      await this.deployer.undeploy(name, version.version);
      running = false;
    }
    const deployment = running
      ? await this.deployer.scale(name, version.version, replicas)
      : await this.specs
          .specOf(version, replicas, principalGeneration, wanted)
          .then((spec) => this.deployer.deploy(spec))
          .catch(async (error: unknown) => {
            throw await this.failed(version, replicas, error);
          });
    await this.store.setDesiredDeployment(name, version.version, {
      name,
      version: version.version,
      target: deployment.target,
      replicas,
      updatedAt: new Date().toISOString(),
      ...(deployedBy === undefined ? {} : { deployedBy }),
      ...(wanted === undefined ? {} : { stream: wanted }),
      principalGeneration,
    });
    await this.events.publish({ type: 'deployment.ready', deployment });
    return deployment;
  }

  /**
   * Stops a version's replicas and forgets it as desired; the model's last deployment
   * takes its Kafka principal with it.
   */
  async remove(name: string, version: string): Promise<DeploymentRecord> {
    const current = this.deployer.get(name, version);
    await this.deployer.undeploy(name, version);
    await this.store.setDesiredDeployment(name, version, undefined);
    const deployment: DeploymentRecord = {
      ...(current ?? blankDeployment(name, version, this.deployer.target, 0)),
      state: 'removed',
      updatedAt: new Date().toISOString(),
    };
    await this.events.publish({ type: 'deployment.removed', deployment });
    this.logger.log({ model: name, version }, 'deployment removed');
    await this.principalLifecycle.afterRemoval(name);
    return deployment;
  }

  // Only the new version's replicas were stopped: what ran before keeps running. A failed
  // scale-up is not announced as failed: the deployment still serves (deployment.changed).
  private async failed(version: ModelVersionRecord, replicas: number, error: unknown) {
    const deployment =
      this.deployer.get(version.name, version.version) ??
      blankDeployment(version.name, version.version, this.deployer.target, replicas);
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      { model: version.name, version: version.version, error: message },
      'deployment failed',
    );
    await this.events.publish({
      type: 'deployment.failed',
      deployment: { ...deployment, state: 'failed' },
    });
    // A first deployment that failed leaves a principal nobody uses.
    await this.principalLifecycle.afterRemoval(version.name);
    return error;
  }
}

function blankDeployment(
  name: string,
  version: string,
  target: DeploymentRecord['target'],
  replicas: number,
): DeploymentRecord {
  return {
    name,
    version,
    target,
    replicas,
    state: 'failed',
    replicaStatus: [],
    updatedAt: new Date().toISOString(),
  };
}

function sameStream(a: DeploymentStream, b: DeploymentStream | undefined): boolean {
  return a.from === b?.from && a.to === b.to;
}

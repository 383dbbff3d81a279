import { Inject, Injectable, Logger } from '@nestjs/common';

import { DataDirs, ModelEvents } from '@ml-run/builder-registry';
import { DEPLOYER, type Deployer, type DeploymentSpec } from '@ml-run/deployer';
import { readManifestFile } from '@ml-run/model-contract';
import type { DeploymentRecord, ModelVersionRecord } from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { DEPLOYMENT_SETTINGS, type DeploymentSettings } from './deployment-settings';

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
    @Inject(DEPLOYMENT_SETTINGS) private readonly settings: DeploymentSettings,
    private readonly dirs: DataDirs,
    private readonly events: ModelEvents,
  ) {}

  /**
   * Deploys (or, when deployed, scales) a built version; resolves once every replica is
   * READY, recording who deployed it (a restore passes on whom the record names).
   */
  async launch(
    version: ModelVersionRecord,
    replicas: number,
    deployedBy?: string,
  ): Promise<DeploymentRecord> {
    const { name } = version;
    const deployment = this.deployer.get(name, version.version)
      ? await this.deployer.scale(name, version.version, replicas)
      : await this.spec(version, replicas)
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
    });
    await this.events.publish({ type: 'deployment.ready', deployment });
    return deployment;
  }

  /** Stops a version's replicas and forgets it as desired. */
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
    return deployment;
  }

  private async spec(version: ModelVersionRecord, replicas: number): Promise<DeploymentSpec> {
    const modelDir = this.dirs.unpackedBundle(version.name, version.version);
    // The manifest's resources become the replicas' limits where the target enforces them.
    const { cpu, memory } = (await readManifestFile(modelDir)).resources;
    return {
      name: version.name,
      version: version.version,
      modelDir,
      resources: { cpu, memory },
      replicas,
      env: { ...this.settings.wrapperEnv },
      readyTimeoutMs: this.settings.readyTimeoutMs,
      runtime: version.runtime,
      // Image targets (swarm) run the pushed image; the process target runs modelDir.
      ...(version.image ? { image: version.image.reference } : {}),
    };
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

import { Inject, Injectable, Optional } from '@nestjs/common';

import { BuilderError, DataDirs } from '@ml-run/builder-registry';
import type { DeploymentSpec } from '@ml-run/deployer';
import { readManifestFile } from '@ml-run/model-contract';
import {
  RegistryErrorCode,
  type DeploymentStream,
  type ModelVersionRecord,
} from '@ml-run/registry-contract';

import { DEPLOYMENT_SETTINGS, type DeploymentSettings } from './deployment-settings';
import { ModelPrincipalLifecycle } from './model-principal-lifecycle.service';
import {
  MODEL_PRINCIPALS,
  replicaKafkaEnvOf,
  type ModelKafkaAccess,
  type ModelPrincipals,
} from './model-principals.port';

/**
 * What the Deployer is asked to run for a version: its bundle, limits and environment.
 * The environment is the wrappers' shared settings plus, in cluster mode, the model's own
 * Kafka principal (provisioned here, at every deployment, for the model's principal
 * generation; never the platform's) and the stream it scores.
 */
@Injectable()
export class DeploymentSpecs {
  constructor(
    @Inject(DEPLOYMENT_SETTINGS) private readonly settings: DeploymentSettings,
    private readonly dirs: DataDirs,
    private readonly principalLifecycle: ModelPrincipalLifecycle,
    @Optional() @Inject(MODEL_PRINCIPALS) private readonly principals?: ModelPrincipals,
  ) {}

  async specOf(
    version: ModelVersionRecord,
    replicas: number,
    principalGeneration: string,
    stream?: DeploymentStream,
  ): Promise<DeploymentSpec> {
    const modelDir = this.dirs.unpackedBundle(version.name, version.version);
    // The manifest's resources become the replicas' limits where the target enforces them.
    const { cpu, memory } = (await readManifestFile(modelDir)).resources;
    const kafka =
      this.principals &&
      replicaKafkaEnvOf(await this.provision(this.principals, version.name, principalGeneration));
    return {
      name: version.name,
      version: version.version,
      modelDir,
      resources: { cpu, memory },
      replicas,
      env: {
        ...this.settings.wrapperEnv,
        ...kafka,
        ...(stream && { MLRUN_STREAM_FROM: stream.from, MLRUN_STREAM_TO: stream.to }),
      },
      readyTimeoutMs: this.settings.readyTimeoutMs,
      runtime: version.runtime,
      // Image targets (swarm) run the pushed image; the process target runs modelDir.
      ...(version.image ? { image: version.image.reference } : {}),
    };
  }

  // Kafka away or refusing the builder's admin login: no replica starts without its access.
  private async provision(
    principals: ModelPrincipals,
    name: string,
    generation: string,
  ): Promise<ModelKafkaAccess> {
    try {
      return await this.principalLifecycle.provision(principals, name, generation);
    } catch (error) {
      throw new BuilderError(
        RegistryErrorCode.UpstreamFailed,
        `could not give ${name} its Kafka principal (${error instanceof Error ? error.message : String(error)}); check that Kafka is up and MLRUN_KAFKA_ADMIN_* may alter the cluster, then deploy again`,
      );
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';

import { BuilderError, listing, requireVersion, type Principal } from '@ml-run/builder-registry';
import { DEPLOYER, type Deployer } from '@ml-run/deployer';
import { KeyedMutex } from '@ml-run/keyed-mutex';
import {
  DEFAULT_ALIAS,
  RegistryErrorCode,
  type DeploymentRecord,
  type DeployTarget,
  type ModelVersionRecord,
} from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { DeploymentLauncher } from './deployment-launcher.service';
import { DEPLOYMENT_SETTINGS, type DeploymentSettings } from './deployment-settings';
import { checkReplicas, parseDeploymentRequest } from './parse-deployment-request';
import { ReplicaQuota } from './replica-quota.service';
import { RolloutService, soleVersion } from './rollout.service';

/** `POST|DELETE /v1/models/{name}/versions/{version}/deployment`. */
@Injectable()
export class DeploymentService {
  // One deployment change per model at a time: a rollout must not race another.
  private readonly mutex = new KeyedMutex();

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    @Inject(DEPLOYER) private readonly deployer: Deployer,
    @Inject(DEPLOYMENT_SETTINGS) private readonly settings: DeploymentSettings,
    private readonly launcher: DeploymentLauncher,
    private readonly rollout: RolloutService,
    private readonly quota: ReplicaQuota,
  ) {}

  async deploy(
    name: string,
    version: string,
    body: unknown,
    caller: Principal,
  ): Promise<DeploymentRecord> {
    const request = parseDeploymentRequest(body, name);
    const record = await requireVersion(this.store, name, version);
    requireBuilt(record);
    this.requireTarget(request.target ?? this.settings.defaultTarget);
    if (request.stream && !this.settings.modelKafka) throw streamsUnavailable();
    const replicas = checkReplicas(request.replicas ?? record.defaultReplicas);
    return this.mutex.run(name, () =>
      this.quota.within(caller, name, version, replicas, async () => {
        const deployment = await this.launcher.launch(record, replicas, caller.sub, request.stream);
        await this.rollout.promote(name, version);
        return deployment;
      }),
    );
  }

  async undeploy(name: string, version: string, force: boolean): Promise<DeploymentRecord> {
    await requireVersion(this.store, name, version);
    return this.mutex.run(name, async () => {
      await this.requireDeployed(name, version);
      const stable = (await this.store.getAliases(name))[DEFAULT_ALIAS];
      if (!force && soleVersion(stable) === version) {
        throw new BuilderError(
          RegistryErrorCode.DeploymentInUse,
          `alias ${DEFAULT_ALIAS} sends all of ${name}'s traffic to ${version}: point it at another deployed version first (PUT /v1/models/${name}/aliases/${DEFAULT_ALIAS}), or undeploy with ?force=true`,
        );
      }
      return this.launcher.remove(name, version);
    });
  }

  private requireTarget(target: DeployTarget): void {
    if (target === this.deployer.target) return;
    throw new BuilderError(
      RegistryErrorCode.TargetUnavailable,
      `target ${target} is not available in this installation; available: ${this.deployer.target}`,
    );
  }

  // Desired but not running (a restore that failed) counts: undeploy forgets it.
  private async requireDeployed(name: string, version: string): Promise<void> {
    if (this.deployer.get(name, version) !== undefined) return;
    const desired = await this.store.listDesiredDeployments(name);
    if (desired.some((d) => d.version === version)) return;
    const deployed = this.deployer.list().filter((d) => d.name === name);
    throw new BuilderError(
      RegistryErrorCode.DeploymentNotFound,
      `${name} ${version} is not deployed; deployed versions: ${listing(deployed.map((d) => d.version))}`,
    );
  }
}

function streamsUnavailable(): BuilderError {
  return new BuilderError(
    RegistryErrorCode.StreamsUnavailable,
    'this installation gives models no Kafka access (the builder needs MLRUN_KAFKA_BROKERS, MLRUN_KAFKA_ADMIN_USERNAME, MLRUN_KAFKA_ADMIN_PASSWORD and MLRUN_KAFKA_MODEL_SECRET): deploy without a stream',
  );
}

function requireBuilt(record: ModelVersionRecord): void {
  if (record.state === 'built') return;
  throw new BuilderError(
    RegistryErrorCode.VersionNotBuilt,
    `${record.name} ${record.version} is ${record.state.replace('_', ' ')}, not built: deploy it once build ${record.buildId} succeeded (GET /v1/builds/${record.buildId})`,
  );
}

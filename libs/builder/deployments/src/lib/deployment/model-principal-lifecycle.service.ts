import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { DEPLOYER, type Deployer } from '@ml-run/deployer';
import { KeyedMutex } from '@ml-run/keyed-mutex';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import {
  MODEL_PRINCIPALS,
  type ModelKafkaAccess,
  type ModelPrincipals,
} from './model-principals.port';

/**
 * A model's Kafka principal lives as long as one of its versions is deployed or desired.
 * When the last goes, its credential and ACLs go too: an old replica's password must not
 * read the requests of a model deployed later under the same name. Revoking never blocks
 * an undeploy: a failure is logged, and the builder's next start revokes what is left
 * (`reconcile`). Without Kafka (MODEL_PRINCIPALS unset) it does nothing.
 */
@Injectable()
export class ModelPrincipalLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ModelPrincipalLifecycle.name);
  // One change per model at a time: a revocation checked before a provisioning must not
  // delete what the provisioning created.
  private readonly mutex = new KeyedMutex();
  // Provisioned by this builder and not revoked since: a reconcile keeps them, even before
  // their deployment is recorded as desired (that happens once its replicas are READY).
  private readonly live = new Set<string>();
  private reconciling: Promise<void> = Promise.resolve();

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    @Inject(DEPLOYER) private readonly deployer: Deployer,
    @Optional() @Inject(MODEL_PRINCIPALS) private readonly principals?: ModelPrincipals,
  ) {}

  /** In the background: the API serves meanwhile. */
  onApplicationBootstrap(): void {
    this.reconciling = this.reconcile();
  }

  /** Resolves when the reconcile begun at start is done (or failed). */
  reconciled(): Promise<void> {
    return this.reconciling;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reconciling;
  }

  async provision(
    principals: ModelPrincipals,
    model: string,
    generation: string,
  ): Promise<ModelKafkaAccess> {
    return this.mutex.run(model, async () => {
      this.live.add(model);
      return principals.provision(model, generation);
    });
  }

  /** After a deployment went: revokes the model's principal if nothing of it is left. */
  async afterRemoval(model: string): Promise<void> {
    await this.revokeUnused(model, 'last deployment removed');
  }

  /** Revokes every principal whose model has nothing deployed nor desired. */
  async reconcile(): Promise<void> {
    if (!this.principals) return;
    let models: string[];
    try {
      models = await this.principals.provisionedModels();
    } catch (error) {
      this.logger.error({ err: error }, 'model principals not reconciled: Kafka did not list them');
      return;
    }
    for (const model of models) {
      if (!this.live.has(model)) await this.revokeUnused(model, 'left from an earlier deployment');
    }
  }

  private async revokeUnused(model: string, reason: string): Promise<void> {
    const principals = this.principals;
    if (!principals) return;
    await this.mutex.run(model, async () => {
      try {
        if (await this.inUse(model)) return;
        this.live.delete(model);
        await principals.revoke(model);
        this.logger.log({ model, reason }, 'model principal revoked');
      } catch (error) {
        // Not answered as a failed undeploy: the next start's reconcile tries again, and
        // the next deployment draws a new generation (a new password) anyway.
        this.logger.error({ err: error, model }, 'model principal not revoked');
      }
    });
  }

  private async inUse(model: string): Promise<boolean> {
    if (this.deployer.list().some((deployment) => deployment.name === model)) return true;
    return (await this.store.listDesiredDeployments(model)).length > 0;
  }
}

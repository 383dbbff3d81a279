import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';

import { ModelEvents } from '@ml-run/builder-registry';
import { DEPLOYER, type Deployer } from '@ml-run/deployer';
import { REGISTRY_STORE, type DesiredDeployment, type RegistryStore } from '@ml-run/registry-store';
import { METRICS_REGISTRY } from '@ml-run/server';

import { DeploymentLauncher } from './deployment-launcher.service';

/**
 * The deployments' life across the builder's: on start, the desired deployments come back
 * (in the background: the API serves meanwhile); while up, every replica change goes out
 * as deployment.changed; on shutdown, the deployer stops them (they stay desired).
 */
@Injectable()
export class DeploymentLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeploymentLifecycle.name);
  private unsubscribe: () => void = () => undefined;
  private restoring: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    @Inject(DEPLOYER) private readonly deployer: Deployer,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly launcher: DeploymentLauncher,
    private readonly events: ModelEvents,
  ) {
    registerDeploymentGauge(registry, deployer);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = this.deployer.onChange((deployment) => {
      void this.events.publish({ type: 'deployment.changed', deployment });
    });
    const desired = await this.store.listDesiredDeployments();
    // One model's versions one after the other: a record from before principal
    // generations has none, and the first restored draws the one the others then share.
    const byModel = new Map<string, DesiredDeployment[]>();
    for (const d of desired) byModel.set(d.name, [...(byModel.get(d.name) ?? []), d]);
    this.restoring = Promise.allSettled(
      [...byModel.values()].map(async (versions) => {
        for (const d of versions) await this.restore(d).catch(() => undefined);
      }),
    );
  }

  /** Resolves when the deployments recorded at start are back (or failed). */
  restored(): Promise<unknown> {
    return this.restoring;
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe();
    await this.deployer.close();
    await this.restoring;
  }

  private async restore(desired: DesiredDeployment): Promise<void> {
    const fields = { model: desired.name, version: desired.version, replicas: desired.replicas };
    const version = await this.store.getVersion(desired.name, desired.version);
    if (version?.state !== 'built') {
      this.logger.warn(
        { ...fields, state: version?.state },
        'desired deployment not restored: version not built',
      );
      return;
    }
    try {
      await this.launcher.launch(version, desired.replicas, desired.deployedBy);
      this.logger.log(fields, 'deployment restored');
    } catch (error) {
      // Still desired: the next start tries again; an undeploy forgets it.
      this.logger.error({ ...fields, err: error }, 'deployment not restored');
    }
  }
}

// Sampled at scrape time from the deployer, which knows the replicas' real state.
function registerDeploymentGauge(registry: Registry, deployer: Deployer): void {
  new Gauge({
    name: 'mlrun_deployments',
    help: 'Deployed versions by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const { state } of deployer.list()) counts.set(state, (counts.get(state) ?? 0) + 1);
      for (const state of ['deploying', 'ready', 'degraded', 'failed']) {
        this.set({ state }, counts.get(state) ?? 0);
      }
    },
  });
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';

import { ModelEvents } from '@ml-run/builder-registry';
import { DEPLOYER, type Deployer } from '@ml-run/deployer';
import { DEFAULT_ALIAS, type AliasTarget } from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { DeploymentLauncher } from './deployment-launcher.service';
import { DEPLOYMENT_SETTINGS, type DeploymentSettings } from './deployment-settings';

/** The one version an alias sends all traffic to, or undefined for a split. */
export function soleVersion(target: AliasTarget | undefined): string | undefined {
  const serving = target?.versions.filter((v) => v.weight > 0) ?? [];
  return serving.length === 1 ? serving[0]?.version : undefined;
}

export const allTo = (version: string): AliasTarget => ({ versions: [{ version, weight: 100 }] });

/**
 * Rolling update (docs/architecture.md §4), once a new version is READY: `stable` moves to it, the
 * old version serves its in-flight requests for MLRUN_DRAIN_SECONDS, then stops. A model
 * without `stable` gets one. A canary split is left alone: its weights are the operator's.
 */
@Injectable()
export class RolloutService {
  private readonly logger = new Logger(RolloutService.name);

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    @Inject(DEPLOYER) private readonly deployer: Deployer,
    @Inject(DEPLOYMENT_SETTINGS) private readonly settings: DeploymentSettings,
    private readonly launcher: DeploymentLauncher,
    private readonly events: ModelEvents,
  ) {}

  async promote(name: string, version: string): Promise<void> {
    const stable = (await this.store.getAliases(name))[DEFAULT_ALIAS];
    const previous = soleVersion(stable);
    if (stable !== undefined && (previous === undefined || previous === version)) return;
    if (previous !== undefined && this.deployer.get(name, previous) === undefined) return;
    // Compare-and-set: an alias PUT that came in meanwhile wins.
    const moved = await this.store.updateAliases(name, (aliases) =>
      soleVersion(aliases[DEFAULT_ALIAS]) === previous
        ? { ...aliases, [DEFAULT_ALIAS]: allTo(version) }
        : aliases,
    );
    if (soleVersion(moved[DEFAULT_ALIAS]) !== version) return;
    await this.events.publish({
      type: 'alias.changed',
      name,
      alias: DEFAULT_ALIAS,
      target: allTo(version),
    });
    this.logger.log({ model: name, version, previous }, 'stable moved');
    if (previous !== undefined) await this.retire(name, previous);
  }

  // The new version serves already: failing to stop the old one is logged, not answered
  // as a failed deployment. It stays desired, so an undeploy or restart settles it.
  private async retire(name: string, version: string): Promise<void> {
    await sleep(this.settings.drainMs);
    try {
      await this.launcher.remove(name, version);
    } catch (error) {
      this.logger.error({ err: error, model: name, version }, 'old version not stopped');
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';

import { BuilderError, isAdmin, type Principal } from '@ml-run/builder-registry';
import { RegistryErrorCode } from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { DEPLOYMENT_SETTINGS, type DeploymentSettings } from './deployment-settings';

/**
 * Each user's cap on the replicas they run (MLRUN_MAX_REPLICAS_PER_USER): the desired
 * deployments they deployed, counted across every model, plus deploys of theirs in flight.
 * Admins are exempt: they run the platform (benchmarks, restores). A deployment recorded
 * before deployments named who made them counts for nobody.
 */
@Injectable()
export class ReplicaQuota {
  // Replicas of deploys that passed the check and have not been recorded yet, per user: two
  // deploys at once must not both fit under the cap that only one fits under.
  private readonly reserved = new Map<string, number>();

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    @Inject(DEPLOYMENT_SETTINGS) private readonly settings: DeploymentSettings,
  ) {}

  /**
   * Runs `deploy` once `replicas` of `name`/`version` fit under the caller's cap (the
   * version's own current replicas are replaced, not added); REPLICA_QUOTA_EXCEEDED, with
   * nothing done, when they do not.
   */
  async within<T>(
    caller: Principal,
    name: string,
    version: string,
    replicas: number,
    deploy: () => Promise<T>,
  ): Promise<T> {
    if (isAdmin(caller)) return deploy();
    const user = caller.sub;
    const reserved = this.reserved.get(user) ?? 0;
    // The reservation is taken before the first await: a concurrent check sees it.
    this.reserved.set(user, reserved + replicas);
    try {
      const running = await this.runningOthers(user, name, version);
      const limit = this.settings.maxReplicasPerUser;
      if (running + reserved + replicas > limit) {
        throw new BuilderError(
          RegistryErrorCode.ReplicaQuotaExceeded,
          `${user} runs ${running + reserved} replica(s) of other deployments, and ${replicas} of ${name} ${version} would take that past the cap of ${limit} per user (MLRUN_MAX_REPLICAS_PER_USER): undeploy or scale down another deployment first`,
          { limit, running: running + reserved, requested: replicas },
        );
      }
      return await deploy();
    } finally {
      const left = (this.reserved.get(user) ?? replicas) - replicas;
      if (left > 0) this.reserved.set(user, left);
      else this.reserved.delete(user);
    }
  }

  private async runningOthers(user: string, name: string, version: string): Promise<number> {
    const desired = await this.store.listDesiredDeployments();
    return desired
      .filter((d) => d.deployedBy === user && !(d.name === name && d.version === version))
      .reduce((sum, d) => sum + d.replicas, 0);
  }
}

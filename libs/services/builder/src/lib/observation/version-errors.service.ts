import { Inject, Injectable } from '@nestjs/common';

import { requireVersion } from '@ml-run/builder-registry';
import { DEPLOYER, type Deployer } from '@ml-run/deployer';
import type { DeploymentRecord, ModelVersionRecord, RecentError } from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { ReplicaScraper } from './replica-scraper';

/** The most errors one answer lists. */
export const MAX_RECENT_ERRORS = 50;

/**
 * `GET /v1/models/{name}/versions/{version}/errors`: what went wrong with a version lately,
 * newest first: its build's failure, failed replicas, and the failed predictions each
 * running replica remembers (read with the scrape credential; one that does not answer is
 * left out).
 */
@Injectable()
export class VersionErrorsService {
  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    @Inject(DEPLOYER) private readonly deployer: Deployer,
    private readonly scraper: ReplicaScraper,
  ) {}

  async errors(name: string, version: string): Promise<RecentError[]> {
    const record = await requireVersion(this.store, name, version);
    const deployment = this.deployer.get(name, record.version);
    const found = await Promise.all([
      this.buildFailure(record),
      deployment === undefined ? [] : deploymentFailures(deployment),
      deployment === undefined ? [] : this.predictionErrors(deployment),
    ]);
    return found
      .flat()
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, MAX_RECENT_ERRORS);
  }

  private async buildFailure(record: ModelVersionRecord): Promise<RecentError[]> {
    const build = await this.store.getBuild(record.buildId);
    if (build?.state !== 'failed') return [];
    return [
      {
        at: build.finishedAt ?? build.createdAt,
        source: 'build',
        ...(build.error === undefined ? {} : { code: build.error.code }),
        message: build.error?.message ?? 'the build failed',
      },
    ];
  }

  private async predictionErrors(deployment: DeploymentRecord): Promise<RecentError[]> {
    const running = deployment.replicaStatus.filter((replica) => replica.state !== 'stopped');
    const perReplica = await Promise.all(
      running.map(async (replica) =>
        ((await this.scraper.errors(replica.url)) ?? []).map((error) => ({
          ...error,
          replica: replica.id,
        })),
      ),
    );
    return perReplica.flat();
  }
}

function deploymentFailures(deployment: DeploymentRecord): RecentError[] {
  return deployment.replicaStatus
    .filter((replica) => replica.state === 'failed')
    .map((replica) => ({
      at: deployment.updatedAt,
      source: 'deployment',
      replica: replica.id,
      message: replica.error ?? `replica ${replica.id} failed`,
    }));
}

import { Inject, Injectable } from '@nestjs/common';

import { requireModel } from '@ml-run/builder-registry';
import { DEPLOYER, type Deployer } from '@ml-run/deployer';
import type { ModelTraffic, ReplicaTraffic } from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { ReplicaScraper } from './replica-scraper';
import { NO_TRAFFIC, trafficCounters } from './replica-traffic';

/**
 * `GET /v1/models/{name}/traffic`: every replica of every deployment of the model, scraped
 * now and in parallel. Cumulative counters: the console derives rates and quantiles from
 * the deltas between two samples.
 */
@Injectable()
export class ModelTrafficService {
  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    @Inject(DEPLOYER) private readonly deployer: Deployer,
    private readonly scraper: ReplicaScraper,
  ) {}

  async traffic(name: string): Promise<ModelTraffic> {
    await requireModel(this.store, name);
    const replicas = this.deployer
      .list()
      .filter((deployment) => deployment.name === name)
      .flatMap((deployment) =>
        deployment.replicaStatus.map((replica) => ({ version: deployment.version, replica })),
      );
    const sampledAt = new Date().toISOString();
    const traffic = await Promise.all(
      replicas.map(async ({ version, replica }): Promise<ReplicaTraffic> => {
        // A stopped replica has no page to read; its last counters went with it.
        const page =
          replica.state === 'stopped' ? undefined : await this.scraper.metrics(replica.url);
        return {
          version,
          replica: replica.id,
          state: replica.state,
          scraped: page !== undefined,
          ...(page === undefined ? NO_TRAFFIC : trafficCounters(page)),
        };
      }),
    );
    return { name, sampledAt, replicas: traffic };
  }
}

import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Inject, Injectable, StreamableFile } from '@nestjs/common';

import { DEPLOYER, type Deployer } from '@ml-run/deployer';
import type {
  DeploymentRecord,
  DeploymentSandbox,
  ModelListResponse,
  ModelRecord,
  ModelVersionRecord,
  RouteTable,
} from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { ModelAccess } from '../authorization/model-access.service';
import type { Principal } from '../authorization/request-authorizer.port';
import { DataDirs } from '../data-dirs';
import { requireModel, requireVersion } from './registry-lookup';

/** The registry's read side: models, versions, bundles and the route table. */
@Injectable()
export class RegistryQueries {
  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    @Inject(DEPLOYER) private readonly deployer: Deployer,
    private readonly dirs: DataDirs,
    private readonly access: ModelAccess,
  ) {}

  /** The models `caller` may read. */
  async listModels(caller: Principal): Promise<ModelListResponse> {
    const deployed = this.deployer.list();
    const names = this.access.readable(caller, await this.store.listModels());
    const models = await Promise.all(
      names.map(async (name) => {
        const versions = await this.store.listVersions(name);
        return {
          name,
          latestVersion: versions.at(-1)?.version ?? '',
          versions: versions.length,
          aliases: Object.keys(await this.store.getAliases(name)).sort(),
          deployed: deployed.filter((d) => d.name === name).map((d) => d.version),
          ...weakestSandbox(deployed.filter((d) => d.name === name)),
        };
      }),
    );
    return { models };
  }

  async getModel(name: string): Promise<ModelRecord> {
    const versions = await requireModel(this.store, name);
    const owners = await this.access.ownersOf(name);
    return {
      name,
      ...(owners === undefined ? {} : { owners }),
      versions,
      aliases: await this.store.getAliases(name),
      deployments: this.deployer.list().filter((d) => d.name === name),
    };
  }

  getVersion(name: string, version: string): Promise<ModelVersionRecord> {
    return requireVersion(this.store, name, version);
  }

  /** The stored zip, as uploaded. */
  async bundle(name: string, version: string): Promise<StreamableFile> {
    const record = await requireVersion(this.store, name, version);
    const zip = this.dirs.bundleZip(record.bundleSha256);
    // Checked first: once the 200 is out, a missing file could only cut the download short.
    await access(zip);
    const stream = createReadStream(zip);
    return new StreamableFile(stream, {
      type: 'application/zip',
      length: record.bundleBytes,
      disposition: `attachment; filename="${name}-${record.version}.zip"`,
    });
  }

  /** For a router that starts after the builder: READY replica URLs and the aliases. */
  async routes(): Promise<RouteTable> {
    const models: RouteTable['models'] = {};
    const byModel = groupByModel(this.deployer.list());
    const names = new Set([...(await this.store.listModels()), ...byModel.keys()]);
    for (const name of [...names].sort()) {
      const versions: Record<string, string[]> = {};
      for (const deployment of byModel.get(name) ?? []) {
        versions[deployment.version] = readyUrls(deployment);
      }
      const aliases = await this.store.getAliases(name);
      if (Object.keys(versions).length > 0 || Object.keys(aliases).length > 0) {
        models[name] = { versions, aliases };
      }
    }
    return { models };
  }
}

function groupByModel(deployments: DeploymentRecord[]): Map<string, DeploymentRecord[]> {
  const byModel = new Map<string, DeploymentRecord[]>();
  for (const deployment of deployments) {
    byModel.set(deployment.name, [...(byModel.get(deployment.name) ?? []), deployment]);
  }
  return byModel;
}

function readyUrls(deployment: DeploymentRecord): string[] {
  return deployment.replicaStatus.filter((r) => r.state === 'ready').map((r) => r.url);
}

const LEVELS = ['off', 'partial', 'container', 'full'] as const;

// A model is as isolated as its least isolated deployed version.
function weakestSandbox(records: readonly DeploymentRecord[]): { sandbox?: DeploymentSandbox } {
  const sandboxes = records.flatMap((record) => (record.sandbox ? [record.sandbox] : []));
  if (sandboxes.length === 0) return {};
  const weakest = sandboxes.reduce((a, b) =>
    LEVELS.indexOf(b.level) < LEVELS.indexOf(a.level) ? b : a,
  );
  return { sandbox: weakest };
}

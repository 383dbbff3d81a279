import type {
  AliasTarget,
  BuildRecord,
  DeployTarget,
  ModelVersionRecord,
} from '@ml-run/registry-contract';

/** A deployment the builder brings back after a restart: what was asked, not what runs. */
export type DesiredDeployment = {
  name: string;
  version: string;
  target: DeployTarget;
  replicas: number;
  updatedAt: string;
};

export type Aliases = Record<string, AliasTarget>;

/**
 * The model registry's durable state: versions, aliases, builds and desired deployments.
 * Names that are not model names (DNS labels) are never found and never written.
 */
export interface RegistryStore {
  /** Names of models with at least one version, sorted. */
  listModels(): Promise<string[]>;
  /** A model's versions, oldest upload first. */
  listVersions(name: string): Promise<ModelVersionRecord[]>;
  getVersion(name: string, version: string): Promise<ModelVersionRecord | undefined>;
  putVersion(record: ModelVersionRecord): Promise<void>;
  getAliases(name: string): Promise<Aliases>;
  /** Read-modify-write of one model's aliases, serialized per model; returns what was stored. */
  updateAliases(name: string, update: (current: Aliases) => Aliases): Promise<Aliases>;
  getBuild(id: string): Promise<BuildRecord | undefined>;
  putBuild(record: BuildRecord): Promise<void>;
  /** Desired deployments of one model, or of every model when `name` is undefined. */
  listDesiredDeployments(name?: string): Promise<DesiredDeployment[]>;
  /** Records (or, with undefined, forgets) the desired deployment of a version. */
  setDesiredDeployment(
    name: string,
    version: string,
    desired: DesiredDeployment | undefined,
  ): Promise<void>;
}

export const REGISTRY_STORE = Symbol('REGISTRY_STORE');

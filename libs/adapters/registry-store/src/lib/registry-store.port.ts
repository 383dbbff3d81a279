import type {
  AliasTarget,
  BuildRecord,
  DeploymentStream,
  DeployTarget,
  ModelOwners,
  ModelVersionRecord,
} from '@ml-run/registry-contract';

/** A deployment the builder brings back after a restart: what was asked, not what runs. */
export type DesiredDeployment = {
  name: string;
  version: string;
  target: DeployTarget;
  replicas: number;
  updatedAt: string;
  /** Who deployed it: their replicas count against MLRUN_MAX_REPLICAS_PER_USER. */
  deployedBy?: string;
  /** The stream its replicas score (`ml-run stream`), reapplied at a restore. */
  stream?: DeploymentStream;
  /**
   * The model's Kafka principal generation (cluster mode): its password derives from it.
   * Every desired version of one model records the same; a model with none left draws a
   * new one, so an old replica's password never comes back.
   */
  principalGeneration?: string;
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
  /** Who owns a model; undefined when none are recorded (a new model, or one not migrated). */
  getOwners(name: string): Promise<ModelOwners | undefined>;
  /**
   * Records a model's owners unless some are recorded already; returns the owners stored
   * (`owners` itself when this call recorded them). The first claim wins, also between
   * builders: owners never change once recorded.
   */
  claimOwners(name: string, owners: ModelOwners): Promise<ModelOwners>;
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

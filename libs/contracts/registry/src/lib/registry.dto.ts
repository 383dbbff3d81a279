import type { DeploymentRecord, DeploymentSandbox } from './deployment.dto';

/**
 * One model version as the registry records it (`GET /v1/models/{name}/versions/{version}`).
 * @example { name: 'iris', version: '1.0.0+6526c66fa490', codeVersion: '1.0.0', state: 'built', ... }
 */
export type ModelVersionRecord = {
  name: string;
  /** `<codeVersion>+<12 hex of the coefficients digest>` */
  version: string;
  codeVersion: string;
  coefficientsDigest: string;
  coefficientsVersion?: string;
  /**
   * The manifest's `runtime` (model-contract RUNTIME_KINDS, which a contract may not import):
   * the builder copies manifest.runtime here, so it stops compiling if the two part.
   */
  runtime: 'python' | 'node' | 'r';
  /** sha256 of the uploaded zip: the bundle's content address. */
  bundleSha256: string;
  /**
   * Digest of every file in the bundle (model-contract `contentDigest`): an upload of the
   * same version with other files is refused. Absent on records made before it existed.
   */
  contentDigest?: string;
  bundleBytes: number;
  /** Manifest `replicas`: the default K for a deployment. */
  defaultReplicas: number;
  uploadedBy: string;
  uploadedAt: string;
  /** The build that produced (or is producing) this version's artifact. */
  buildId: string;
  state: VersionState;
  /** The pushed image, when this builder makes images (swarm, openshift); absent otherwise. */
  image?: ModelImage;
};

/**
 * A version's image in the registry, recorded once its push succeeded. Deploy it by
 * `reference` (the digest pins the content); the tag may be pushed again.
 * @example { reference: '127.0.0.1:5000/ml-run/iris@sha256:4f1c…', tag: '127.0.0.1:5000/ml-run/iris:1.0.0_6526c66fa490', digest: 'sha256:4f1c…', size: 1573, pushedAt: '2026-11-28T12:00:00.000Z' }
 */
export type ModelImage = {
  /** `<repository>@<digest>` */
  reference: string;
  /** `<registry>/ml-run/<name>:<version with "+" as "_">` */
  tag: string;
  /** `sha256:<64 hex>` of the image manifest. */
  digest: string;
  /** Size in bytes the registry push reported (of the manifest, as Docker reports it). */
  size: number;
  /** What the push sent; a coefficients-only version uploads one small layer. */
  upload?: ImageUpload;
  pushedAt: string;
};

/**
 * Layers of an image and how many of them a push uploaded (the others were in the
 * registry already); bytes are compressed, absent when the registry did not say.
 * @example { layers: 7, pushedLayers: 1, pushedBytes: 1402, imageBytes: 84113920 }
 */
export type ImageUpload = {
  layers: number;
  pushedLayers: number;
  pushedBytes?: number;
  imageBytes?: number;
};

/** uploaded → building → built | build_failed */
export const VERSION_STATES = ['uploaded', 'building', 'built', 'build_failed'] as const;
export type VersionState = (typeof VERSION_STATES)[number];

/**
 * `POST /v1/models` answer. `created` is false when identical content was uploaded before
 * (same version, no second build).
 * @example { name: 'iris', version: '1.0.0+6526c66fa490', buildId: 'b-3f9a...', created: true }
 */
export type UploadResponse = { name: string; version: string; buildId: string; created: boolean };

/**
 * A weighted set of versions behind an alias (`stable` by default). Weights are integers
 * that sum to 100.
 * @example { versions: [{ version: '1.0.0+6526c66fa490', weight: 90 }, { version: '1.1.0+6526c66fa490', weight: 10 }] }
 */
export type AliasTarget = { versions: { version: string; weight: number }[] };

/**
 * `PUT /v1/models/{name}/aliases/{alias}` body: one version, or weighted versions (canary).
 * @example { version: '1.0.0+6526c66fa490' }
 */
export type SetAliasRequest = { version: string } | AliasTarget;

/**
 * `GET /v1/models/{name}` answer.
 * @example { name: 'iris', versions: [...], aliases: { stable: {...} }, deployments: [...] }
 */
export type ModelRecord = {
  name: string;
  /** Who may change it; absent only for a model the builder has not migrated yet. */
  owners?: ModelOwners;
  versions: ModelVersionRecord[];
  aliases: Record<string, AliasTarget>;
  deployments: DeploymentRecord[];
};

/**
 * Who may change a model (given models:write on it): the user who created it (first upload)
 * and the groups named then. Admins may change every model. A model from before models had
 * owners belongs to the admins alone: no users, no groups, `assignedBy: 'migration'`.
 * @example { users: ['ada'], groups: ['data-team'], assignedBy: 'creation', assignedAt: '2026-12-05T09:00:00.000Z' }
 */
export type ModelOwners = {
  users: string[];
  groups: string[];
  assignedBy: 'creation' | 'migration';
  assignedAt: string;
};

/** `GET /v1/models` answer: one line per model. */
export type ModelListResponse = {
  models: {
    name: string;
    latestVersion: string;
    versions: number;
    aliases: string[];
    deployed: string[];
    /** The weakest isolation among its deployed versions (process target only). */
    sandbox?: DeploymentSandbox;
  }[];
};

export { aliasTargetProblem, pickWeighted } from './lib/alias-weights';
export type { BuildProgressEvent, BuildRecord, BuildStep, BuildStepName } from './lib/build.dto';
export type {
  DeploymentRecord,
  DeploymentSandbox,
  DeploymentRequest,
  DeployTarget,
  ReplicaLimits,
  ReplicaState,
  ReplicaStatus,
} from './lib/deployment.dto';
export { MODEL_EVENTS_TOPIC, type ModelEvent } from './lib/model-events';
export type {
  ModelTraffic,
  RecentError,
  RecentErrorsResponse,
  ReplicaTraffic,
  TrafficHistogram,
} from './lib/model-traffic';
export type {
  AliasTarget,
  ImageUpload,
  ModelImage,
  ModelListResponse,
  ModelOwners,
  ModelRecord,
  ModelVersionRecord,
  SetAliasRequest,
  UploadResponse,
  VersionState,
} from './lib/registry.dto';
export { RegistryErrorCode } from './lib/registry.errors';
export { DEFAULT_ALIAS, type RouteTable } from './lib/routes.dto';

export { aliasTargetProblem, pickWeighted } from './lib/alias-weights';
export type { BuildProgressEvent, BuildRecord, BuildStep, BuildStepName } from './lib/build.dto';
export {
  DEPLOY_TARGETS,
  isDeployTarget,
  type DeploymentRecord,
  type DeploymentSandbox,
  type DeploymentRequest,
  type DeployTarget,
  type ReplicaLimits,
  type ReplicaState,
  type ReplicaStatus,
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

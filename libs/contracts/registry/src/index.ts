export { aliasTargetProblem, pickWeighted } from './lib/alias-weights';
export {
  BUILD_STATES,
  BUILD_STEP_STATES,
  type BuildProgressEvent,
  type BuildRecord,
  type BuildState,
  type BuildStep,
  type BuildStepName,
  type BuildStepState,
} from './lib/build.dto';
export {
  DEPLOY_TARGETS,
  DEPLOYMENT_STATES,
  isDeployTarget,
  REPLICA_STATES,
  WrapperState,
  type DeploymentState,
  type DeploymentRecord,
  type DeploymentSandbox,
  type DeploymentRequest,
  type DeploymentStream,
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
export {
  VERSION_STATES,
  type AliasTarget,
  type ImageUpload,
  type ModelImage,
  type ModelListResponse,
  type ModelOwners,
  type ModelRecord,
  type ModelVersionRecord,
  type SetAliasRequest,
  type UploadResponse,
  type VersionState,
} from './lib/registry.dto';
export { RegistryErrorCode } from './lib/registry.errors';
export { DEFAULT_ALIAS, type RouteTable } from './lib/routes.dto';

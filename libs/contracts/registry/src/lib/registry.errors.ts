/**
 * Error codes of the builder and router APIs, in `{code, message}` bodies. Bundle problems
 * carry the model contract's own codes (ZIP_*, MANIFEST_*, ENTRY_MISSING, ...).
 */
export enum RegistryErrorCode {
  ModelNotFound = 'MODEL_NOT_FOUND',
  VersionNotFound = 'VERSION_NOT_FOUND',
  AliasNotFound = 'ALIAS_NOT_FOUND',
  BuildNotFound = 'BUILD_NOT_FOUND',
  DeploymentNotFound = 'DEPLOYMENT_NOT_FOUND',
  /** 413: the upload is over MLRUN_MAX_BUNDLE_BYTES. */
  BundleTooLarge = 'BUNDLE_TOO_LARGE',
  /** 415: neither application/zip nor multipart/form-data with field `bundle`. */
  UnsupportedUpload = 'UNSUPPORTED_UPLOAD',
  /** 409: an upload whose version exists with other files (same codeVersion, other code). */
  VersionConflict = 'VERSION_CONFLICT',
  /** 409: deploying a version whose build has not succeeded. */
  VersionNotBuilt = 'VERSION_NOT_BUILT',
  /** 422: weights not integers summing to 100, unknown versions, bad alias name. */
  InvalidAlias = 'INVALID_ALIAS',
  InvalidReplicas = 'INVALID_REPLICAS',
  /** 400: a deployment's stream topics outside the model's namespace ml-run.stream.<name>. */
  InvalidStream = 'INVALID_STREAM',
  /** 422: a stream asked of an installation that gives models no Kafka access. */
  StreamsUnavailable = 'STREAMS_UNAVAILABLE',
  /** 422: a deploy target this installation does not run. */
  TargetUnavailable = 'TARGET_UNAVAILABLE',
  /** 403: the caller has models:write on the model but is not one of its owners (nor admin). */
  NotModelOwner = 'NOT_MODEL_OWNER',
  /** 403: a new model's owner groups name a group the (non-admin) creator is not in. */
  OwnerGroupNotYours = 'OWNER_GROUP_NOT_YOURS',
  /** 409: an upload names owner groups an existing model was not created with. */
  OwnerGroupsFixed = 'OWNER_GROUPS_FIXED',
  /** 422: an owner group that is not a group name. */
  InvalidOwnerGroup = 'INVALID_OWNER_GROUP',
  /** 403: the deployment would take the user's running replicas over MLRUN_MAX_REPLICAS_PER_USER. */
  ReplicaQuotaExceeded = 'REPLICA_QUOTA_EXCEEDED',
  /** 503: the process target cannot sandbox model code on this host (fails closed; an admin's fix). */
  SandboxUnavailable = 'SANDBOX_UNAVAILABLE',
  /** Router 503: the version has no READY replica (Retry-After). */
  NoReadyReplica = 'NO_READY_REPLICA',
  /** 409: undeploying the only version the stable alias routes to (without force). */
  DeploymentInUse = 'DEPLOYMENT_IN_USE',
  /** Router 502: the replica failed and the retry did too. */
  UpstreamFailed = 'UPSTREAM_FAILED',
  /** 504: the upstream did not answer in time (router: a replica; builder's console proxy: the issuer or router). */
  UpstreamTimeout = 'UPSTREAM_TIMEOUT',
}

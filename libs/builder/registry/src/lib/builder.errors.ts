import { DeployError, DeployErrorCode } from '@ml-run/deployer';
import { CommonErrorCode } from '@ml-run/error-codes';
import { ContractError, ContractErrorCode } from '@ml-run/model-contract';
import { RegistryErrorCode } from '@ml-run/registry-contract';
import type { ErrorMapper, ErrorReply } from '@ml-run/server';

import { RequestRefused } from './authorization/authorization.errors';

/** Builder answers the registry contract has no code for (yet). */
export enum BuilderErrorCode {
  /** 400: a JSON body that is not what the endpoint takes. */
  InvalidRequest = CommonErrorCode.InvalidRequest,
  /** 503: the builder is shutting down. */
  ShuttingDown = 'SHUTTING_DOWN',
  /** 422: the manifest asks for source builds and MLRUN_ALLOW_SOURCE_BUILDS is off. */
  SourceBuildsNotAllowed = 'SOURCE_BUILDS_NOT_ALLOWED',
  /** 503: /console asked for, and MLRUN_CONSOLE_DIR holds no built console. */
  ConsoleNotBuilt = 'CONSOLE_NOT_BUILT',
  /** 404: a console file, or a /console/api path the proxy does not forward. */
  NotFound = CommonErrorCode.NotFound,
  /** 503: the console proxy's upstream (issuer, router) refused or could not be reached. */
  UpstreamUnreachable = 'UPSTREAM_UNREACHABLE',
}

export type BuilderCode = RegistryErrorCode | BuilderErrorCode;

/** A refusal of the builder's API; the message says what to fix. */
export class BuilderError extends Error {
  constructor(
    readonly code: BuilderCode,
    message: string,
    /** Machine-readable facts for the client (say, the model and the limit). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'BuilderError';
  }
}

const STATUS: Record<BuilderCode, number> = {
  [RegistryErrorCode.ModelNotFound]: 404,
  [RegistryErrorCode.VersionNotFound]: 404,
  [RegistryErrorCode.AliasNotFound]: 404,
  [RegistryErrorCode.BuildNotFound]: 404,
  [RegistryErrorCode.DeploymentNotFound]: 404,
  [RegistryErrorCode.BundleTooLarge]: 413,
  [RegistryErrorCode.UnsupportedUpload]: 415,
  [RegistryErrorCode.VersionConflict]: 409,
  [RegistryErrorCode.VersionNotBuilt]: 409,
  [RegistryErrorCode.InvalidAlias]: 422,
  [RegistryErrorCode.InvalidReplicas]: 422,
  [RegistryErrorCode.InvalidStream]: 400,
  [RegistryErrorCode.StreamsUnavailable]: 422,
  [RegistryErrorCode.TargetUnavailable]: 422,
  [RegistryErrorCode.NotModelOwner]: 403,
  [RegistryErrorCode.OwnerGroupNotYours]: 403,
  [RegistryErrorCode.OwnerGroupsFixed]: 409,
  [RegistryErrorCode.InvalidOwnerGroup]: 422,
  [RegistryErrorCode.ReplicaQuotaExceeded]: 403,
  [RegistryErrorCode.NoReadyReplica]: 503,
  [RegistryErrorCode.UpstreamFailed]: 502,
  [RegistryErrorCode.DeploymentInUse]: 409,
  [RegistryErrorCode.UpstreamTimeout]: 504,
  [RegistryErrorCode.SandboxUnavailable]: 503,
  [BuilderErrorCode.InvalidRequest]: 400,
  [BuilderErrorCode.ShuttingDown]: 503,
  [BuilderErrorCode.SourceBuildsNotAllowed]: 422,
  [BuilderErrorCode.ConsoleNotBuilt]: 503,
  [BuilderErrorCode.NotFound]: 404,
  [BuilderErrorCode.UpstreamUnreachable]: 503,
};

const DEPLOY_STATUS: Record<DeployErrorCode, number> = {
  // A replica failed to start: the message is the model's own error.
  [DeployErrorCode.DeploymentFailed]: 422,
  [DeployErrorCode.DeploymentNotFound]: 404,
  [DeployErrorCode.InvalidReplicas]: 422,
  [DeployErrorCode.DeployerClosed]: 503,
  // An admin must install the sandbox (or opt out with MLRUN_SANDBOX=off): nothing to retry.
  [DeployErrorCode.SandboxUnavailable]: 503,
  // The namespace has no room left: free quota (or scale another version down), then retry.
  [DeployErrorCode.QuotaExceeded]: 409,
  // The image named in the message could not be pulled: the registry or its credential.
  [DeployErrorCode.ImagePullFailed]: 502,
  // The namespace's policy refuses the pods: an admin's fix, nothing the caller can change.
  [DeployErrorCode.PodSecurityRefused]: 503,
};

// Not a zip at all is a malformed request; every other bundle problem is well-formed
// content that breaks a rule the author must fix.
function contractReply(error: ContractError): ErrorReply {
  const status = error.code === ContractErrorCode.ZipInvalid ? 400 : 422;
  const reply: ErrorReply = { status, code: error.code, message: error.message };
  if (error.details !== undefined && error.details.length > 0) reply.details = error.details;
  return reply;
}

/** The builder's domain errors as `{code, message}` answers. */
export const mapBuilderError: ErrorMapper = (error) => {
  if (error instanceof BuilderError) {
    const reply: ErrorReply = {
      status: STATUS[error.code],
      code: error.code,
      message: error.message,
    };
    if (error.details !== undefined) reply.details = error.details;
    // The rest of an oversized body is not read: the connection cannot be reused.
    if (error.code === RegistryErrorCode.BundleTooLarge) reply.headers = { connection: 'close' };
    return reply;
  }
  if (error instanceof RequestRefused) return error.reply;
  if (error instanceof ContractError) return contractReply(error);
  if (error instanceof DeployError) {
    return { status: DEPLOY_STATUS[error.code], code: error.code, message: error.message };
  }
  return undefined;
};

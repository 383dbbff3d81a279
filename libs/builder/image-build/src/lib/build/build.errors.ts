import { BuilderError } from '@ml-run/builder-registry';
import { RegistryErrorCode, type BuildStepName } from '@ml-run/registry-contract';

/** Why a build failed: `BuildRecord.error.code`, one per step that can fail. */
export enum BuildErrorCode {
  StoreFailed = 'STORE_FAILED',
  UnpackFailed = 'UNPACK_FAILED',
  DependenciesFailed = 'DEPENDENCIES_FAILED',
  ImageFailed = 'IMAGE_FAILED',
  PushFailed = 'PUSH_FAILED',
  ValidateFailed = 'VALIDATE_FAILED',
  /** The build outlived MLRUN_BUILD_TIMEOUT_SECONDS and was stopped. */
  BuildTimeout = 'BUILD_TIMEOUT',
}

export const BUILD_ERROR_BY_STEP: Record<BuildStepName, BuildErrorCode> = {
  validate: BuildErrorCode.ValidateFailed,
  store: BuildErrorCode.StoreFailed,
  unpack: BuildErrorCode.UnpackFailed,
  dependencies: BuildErrorCode.DependenciesFailed,
  image: BuildErrorCode.ImageFailed,
  push: BuildErrorCode.PushFailed,
};

/** A step failed; the message (also the step's) says what went wrong. */
export class BuildStepError extends Error {
  constructor(
    readonly step: BuildStepName,
    message: string,
  ) {
    super(message);
    this.name = 'BuildStepError';
  }

  get code(): BuildErrorCode {
    return BUILD_ERROR_BY_STEP[this.step];
  }
}

export function buildNotFound(id: string): BuilderError {
  return new BuilderError(
    RegistryErrorCode.BuildNotFound,
    `no build ${id}; a version's buildId is in GET /v1/models/{name}/versions/{version}`,
  );
}

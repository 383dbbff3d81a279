import { AuthorizationError, authorizationReply } from '@ml-run/bearer-auth';
import type { ErrorMapper, ErrorReply } from '@ml-run/server';

import { RuntimeError, RuntimeErrorCode } from '../runtime/runtime.errors';

export enum PredictionErrorCode {
  ModelNotReady = 'MODEL_NOT_READY',
  InitFailed = 'MODEL_INIT_FAILED',
  TooManyInFlight = 'TOO_MANY_IN_FLIGHT',
}

export class PredictionError extends Error {
  constructor(
    readonly code: PredictionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PredictionError';
  }
}

const RETRY_SOON = { 'retry-after': '1' };

const PREDICTION_REPLIES: Record<PredictionErrorCode, Omit<ErrorReply, 'code' | 'message'>> = {
  [PredictionErrorCode.ModelNotReady]: { status: 503, headers: RETRY_SOON },
  [PredictionErrorCode.InitFailed]: { status: 503 },
  [PredictionErrorCode.TooManyInFlight]: { status: 429, headers: RETRY_SOON },
};

const RUNTIME_REPLIES: Record<RuntimeErrorCode, Omit<ErrorReply, 'code' | 'message'>> = {
  // The model rejected this input: the caller must change it.
  [RuntimeErrorCode.PredictFailed]: { status: 422 },
  [RuntimeErrorCode.WorkerCrashed]: { status: 502 },
  [RuntimeErrorCode.NoWorkerAvailable]: { status: 503, headers: RETRY_SOON },
  [RuntimeErrorCode.InitFailed]: { status: 503 },
  [RuntimeErrorCode.InitTimeout]: { status: 503 },
  // The machine cannot run this R model: init never started.
  [RuntimeErrorCode.RUnavailable]: { status: 503 },
  [RuntimeErrorCode.RVersionTooOld]: { status: 503 },
  [RuntimeErrorCode.RPackagesMissing]: { status: 503 },
};

/** The wrapper's domain errors as HTTP answers. */
export const mapWrapperError: ErrorMapper = (error) => {
  if (error instanceof AuthorizationError) return authorizationReply(error);
  if (error instanceof PredictionError) {
    return { ...PREDICTION_REPLIES[error.code], code: error.code, message: error.message };
  }
  if (error instanceof RuntimeError) {
    return { ...RUNTIME_REPLIES[error.code], code: error.code, message: error.message };
  }
  return undefined;
};

import { mapAuthorizationError } from '@ml-run/bearer-auth';
import { CommonErrorCode } from '@ml-run/error-codes';
import { RegistryErrorCode } from '@ml-run/registry-contract';
import type { ErrorMapper, ErrorReply } from '@ml-run/server';

import {
  AsyncPredictionError,
  asyncPredictionReply,
} from './async-prediction/async-prediction.errors';

/** The router's `{code}` values: the registry contract's and common ones, plus its own. */
export const RouterErrorCode = {
  ModelNotFound: RegistryErrorCode.ModelNotFound,
  VersionNotFound: RegistryErrorCode.VersionNotFound,
  AliasNotFound: RegistryErrorCode.AliasNotFound,
  NoReadyReplica: RegistryErrorCode.NoReadyReplica,
  UpstreamFailed: RegistryErrorCode.UpstreamFailed,
  UpstreamTimeout: RegistryErrorCode.UpstreamTimeout,
  RoutesNotLoaded: 'ROUTES_NOT_LOADED',
  TooManyRequests: CommonErrorCode.TooManyRequests,
  PayloadTooLarge: CommonErrorCode.PayloadTooLarge,
  CallerGone: 'CALLER_GONE',
} as const;

export type RouterErrorCode = (typeof RouterErrorCode)[keyof typeof RouterErrorCode];

/** Why a predict request was not (or not successfully) passed to a replica. */
export class RouterError extends Error {
  constructor(
    readonly code: RouterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RouterError';
  }
}

// The 503s and the 429 are passing states (replicas starting, builder restarting): say when to retry.
const RETRY_SOON = { 'retry-after': '1' };

const REPLIES: Record<RouterErrorCode, Omit<ErrorReply, 'code' | 'message'>> = {
  [RouterErrorCode.ModelNotFound]: { status: 404 },
  [RouterErrorCode.VersionNotFound]: { status: 404 },
  [RouterErrorCode.AliasNotFound]: { status: 404 },
  [RouterErrorCode.NoReadyReplica]: { status: 503, headers: RETRY_SOON },
  [RouterErrorCode.RoutesNotLoaded]: { status: 503, headers: RETRY_SOON },
  [RouterErrorCode.UpstreamFailed]: { status: 502 },
  [RouterErrorCode.UpstreamTimeout]: { status: 504 },
  [RouterErrorCode.TooManyRequests]: { status: 429, headers: RETRY_SOON },
  // The rest of the body is not read: the connection cannot carry another request.
  [RouterErrorCode.PayloadTooLarge]: { status: 413, headers: { connection: 'close' } },
  // Nobody reads it: the connection is gone (or answered 408 by the server's timeout).
  [RouterErrorCode.CallerGone]: { status: 400 },
};

/** The router's domain errors and its access refusals as HTTP answers. */
export const mapRouterError: ErrorMapper = (error) => {
  if (error instanceof RouterError) {
    return { ...REPLIES[error.code], code: error.code, message: error.message };
  }
  if (error instanceof AsyncPredictionError) return asyncPredictionReply(error);
  return mapAuthorizationError(error);
};

import { CommonErrorCode } from '@ml-run/error-codes';
import type { ErrorReply } from '@ml-run/server';

/** The `{code}` values of the asynchronous routes. */
export const AsyncPredictionErrorCode = {
  /** No prediction with this id for this caller (unknown, expired, or another subject's). */
  PredictionNotFound: 'PREDICTION_NOT_FOUND',
  /** This router was started without asynchronous predictions. */
  AsyncUnavailable: 'ASYNC_PREDICTIONS_UNAVAILABLE',
  /** The queue or the results store refused the request; nothing was queued. */
  QueueUnavailable: 'ASYNC_QUEUE_UNAVAILABLE',
  InvalidCallback: 'INVALID_CALLBACK_URL',
  CallbackNotAllowed: 'CALLBACK_NOT_ALLOWED',
  CallbacksDisabled: 'CALLBACKS_DISABLED',
  PayloadTooLarge: CommonErrorCode.PayloadTooLarge,
} as const;

export type AsyncPredictionErrorCode =
  (typeof AsyncPredictionErrorCode)[keyof typeof AsyncPredictionErrorCode];

export class AsyncPredictionError extends Error {
  constructor(
    readonly code: AsyncPredictionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AsyncPredictionError';
  }
}

const REPLIES: Record<AsyncPredictionErrorCode, Omit<ErrorReply, 'code' | 'message'>> = {
  [AsyncPredictionErrorCode.PredictionNotFound]: { status: 404 },
  [AsyncPredictionErrorCode.AsyncUnavailable]: { status: 503 },
  [AsyncPredictionErrorCode.QueueUnavailable]: { status: 503, headers: { 'retry-after': '1' } },
  [AsyncPredictionErrorCode.InvalidCallback]: { status: 400 },
  [AsyncPredictionErrorCode.CallbackNotAllowed]: { status: 400 },
  [AsyncPredictionErrorCode.CallbacksDisabled]: { status: 400 },
  [AsyncPredictionErrorCode.PayloadTooLarge]: { status: 413, headers: { connection: 'close' } },
};

export function asyncPredictionReply(error: AsyncPredictionError): ErrorReply {
  return { ...REPLIES[error.code], code: error.code, message: error.message };
}

import { HttpException } from '@nestjs/common';

import { CommonErrorCode, commonErrorCodeFor } from '@ml-run/error-codes';

import { ServiceCredentialError, serviceCredentialReply } from '../access/service-access.errors';
import { TooManyStreamsError } from '../streams/long-lived-streams';

/** The one error shape every ML-RUN API answers with: `{code, message}` plus headers. */
export type ErrorReply = {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  details?: unknown;
};

/** Maps a service's domain errors; returns undefined for errors it does not own. */
export type ErrorMapper = (error: unknown) => ErrorReply | undefined;

type FastifyLikeError = Error & { statusCode: number; code?: string };

/**
 * The client-facing reply for an error, or undefined when it is unexpected (a 500 whose
 * details must stay in the log).
 */
export function toErrorReply(
  error: unknown,
  mapper: ErrorMapper | undefined,
  maxBodyBytes: number,
): ErrorReply | undefined {
  const mapped = mapper?.(error);
  if (mapped) return mapped;
  // Service doors are the platform's (bindAccessRules): answered alike in every service.
  if (error instanceof ServiceCredentialError) return serviceCredentialReply(error);
  if (error instanceof TooManyStreamsError) {
    const headers = { 'retry-after': String(error.retryAfterSeconds) };
    return { status: 429, code: error.code, message: error.message, headers };
  }
  if (error instanceof HttpException) {
    // Nest turns Fastify's body-limit error into a bare 413; say what the limit is.
    if (error.getStatus() === 413) return bodyTooLarge(maxBodyBytes);
    return fromHttpException(error);
  }
  if (isFastifyClientError(error)) return fromFastifyError(error, maxBodyBytes);
  return undefined;
}

function fromHttpException(error: HttpException): ErrorReply | undefined {
  const status = error.getStatus();
  if (status >= 500 && status !== 503) return undefined;
  const response = error.getResponse();
  if (typeof response === 'object' && response !== null) {
    const { code, message } = response as { code?: unknown; message?: unknown };
    const text = Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
    return {
      status,
      code: typeof code === 'string' ? code : commonErrorCodeFor(status),
      message: text,
    };
  }
  return { status, code: commonErrorCodeFor(status), message: String(response) };
}

function fromFastifyError(error: FastifyLikeError, maxBodyBytes: number): ErrorReply {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge(maxBodyBytes);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: CommonErrorCode.UnsupportedMediaType,
        message: `${error.message}; see /docs for accepted types`,
      };
    default:
      return {
        status: error.statusCode,
        code: commonErrorCodeFor(error.statusCode),
        message: error.message,
      };
  }
}

function bodyTooLarge(maxBodyBytes: number): ErrorReply {
  return {
    status: 413,
    code: CommonErrorCode.PayloadTooLarge,
    message: `request body is larger than ${maxBodyBytes} bytes (MLRUN_MAX_BODY_BYTES); send a smaller body`,
  };
}

function isFastifyClientError(error: unknown): error is FastifyLikeError {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}

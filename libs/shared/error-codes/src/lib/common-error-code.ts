/**
 * The `{code}` values of answers any ML-RUN service gives alike, whatever its domain: those
 * HTTP itself names (a body over the limit, an unknown path, a bare 4xx from the framework)
 * and a malformed request. A service's own code enum takes a member from here
 * (`NotFound = CommonErrorCode.NotFound`) rather than spelling the value again, so the wire
 * value is written once. A util lib, not a contract: the contracts (token, registry) and
 * the platform both use it, and a contract may import only utils.
 */
export enum CommonErrorCode {
  /** 400 from the framework, without a code of the service's own. */
  BadRequest = 'BAD_REQUEST',
  /** 400: a malformed request (a body not of the endpoint's shape, a bad Authorization header). */
  InvalidRequest = 'INVALID_REQUEST',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  /** 404: no such route or file. */
  NotFound = 'NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  NotAcceptable = 'NOT_ACCEPTABLE',
  Conflict = 'CONFLICT',
  /** 413: a body over the door's limit. */
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  UnprocessableEntity = 'UNPROCESSABLE_ENTITY',
  /** 429: over a rate or concurrency limit (with Retry-After). */
  TooManyRequests = 'TOO_MANY_REQUESTS',
  /** 500: details stay in the service's log. */
  Internal = 'INTERNAL',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
}

const CODE_BY_STATUS: Readonly<Record<number, CommonErrorCode>> = {
  400: CommonErrorCode.BadRequest,
  401: CommonErrorCode.Unauthorized,
  403: CommonErrorCode.Forbidden,
  404: CommonErrorCode.NotFound,
  405: CommonErrorCode.MethodNotAllowed,
  406: CommonErrorCode.NotAcceptable,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  415: CommonErrorCode.UnsupportedMediaType,
  422: CommonErrorCode.UnprocessableEntity,
  429: CommonErrorCode.TooManyRequests,
  503: CommonErrorCode.ServiceUnavailable,
};

/** The code of an answer that has only its status to say: `HTTP_<status>` for one not named here. */
export function commonErrorCodeFor(status: number): string {
  return CODE_BY_STATUS[status] ?? `HTTP_${status}`;
}

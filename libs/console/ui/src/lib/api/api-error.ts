import { CommonErrorCode } from '@ml-run/error-codes';

/**
 * A refused or failed call, as the console shows it: the HTTP status, the server's
 * machine-readable code and its sentence saying what to fix. Network failures have
 * status 0 and code NETWORK_ERROR.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For 403: the scope the token lacks, from WWW-Authenticate scope= or the body. */
    readonly missingScope?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type ErrorBody = {
  code?: unknown;
  message?: unknown;
  error?: unknown;
  error_description?: unknown;
  details?: { requiredScope?: unknown };
};

/**
 * The ApiError for a non-2xx answer. Builder and router bodies are `{code, message}`; the
 * issuer's OAuth bodies add `{error, error_description}`; a proxy or a crash may send
 * anything, which still gives a sentence naming the status.
 * @example errorFromResponse(403, 'Bearer error="insufficient_scope", scope="models:write:iris"', '{"code":"INSUFFICIENT_SCOPE","message":"..."}')
 */
export function errorFromResponse(
  status: number,
  wwwAuthenticate: string | null,
  bodyText: string,
): ApiError {
  const body = parseBody(bodyText);
  const code =
    text(body.code) ?? (text(body.error)?.toUpperCase() || undefined) ?? statusCode(status);
  const message =
    text(body.message) ??
    text(body.error_description) ??
    `The server answered ${status} without an explanation.`;
  const missingScope =
    status === 403
      ? (challengeParam(wwwAuthenticate, 'scope') ?? text(body.details?.requiredScope))
      : undefined;
  return new ApiError(status, code, message, missingScope);
}

/** The ApiError for a call that got no answer at all. */
export function networkError(cause: unknown): ApiError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(0, 'NETWORK_ERROR', `The console could not reach the server (${reason}).`);
}

function parseBody(bodyText: string): ErrorBody {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ErrorBody) : {};
  } catch {
    return {};
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function statusCode(status: number): string {
  if (status === 401) return CommonErrorCode.Unauthorized;
  if (status === 403) return CommonErrorCode.Forbidden;
  if (status === 404) return CommonErrorCode.NotFound;
  return `HTTP_${status}`;
}

// RFC 6750 challenge parameters are quoted strings: `Bearer realm="ml-run", scope="a b"`.
function challengeParam(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  const match = new RegExp(`(?:^|[\\s,])${name}="([^"]*)"`).exec(header);
  return match?.[1] || undefined;
}

import { CliError } from '../cli.errors';

/** A `{code, message}` answer from a service, shown as "error CODE: message" (exit code 1). */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** The scope a 403 names (`details.requiredScope`): what to ask an admin for. */
    readonly requiredScope?: string,
  ) {
    super(`error ${code}: ${sentence(status, detail, requiredScope)}`);
    this.name = 'ApiError';
  }

  /** Reads a non-2xx answer: `{code, message}` when the body is one, else HTTP_<status>. */
  static async from(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    const body = parseJson(text);
    if (isErrorBody(body)) {
      return new ApiError(response.status, body.code, body.message, requiredScopeOf(body));
    }
    const code = `HTTP_${response.status}`;
    // A 500 carries only {message, requestId}: the id is what to quote in a report.
    if (hasRequestId(body)) return new ApiError(response.status, code, withRequestId(body));
    const detail = text.trim().slice(0, 500) || response.statusText || 'no message';
    return new ApiError(response.status, code, detail);
  }
}

function sentence(status: number, detail: string, requiredScope: string | undefined): string {
  if (status === 401) return `${detail} (run ml-run login -u <user>)`;
  if (status !== 403 || requiredScope === undefined) return detail;
  return `your token lacks the scope ${requiredScope}: ask an admin for a group that grants it, then run ml-run login again (${detail})`;
}

function requiredScopeOf(body: { details?: unknown }): string | undefined {
  const details = body.details;
  if (typeof details !== 'object' || details === null) return undefined;
  const scope = (details as Record<string, unknown>)['requiredScope'];
  return typeof scope === 'string' ? scope : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isErrorBody(body: unknown): body is { code: string; message: string; details?: unknown } {
  if (typeof body !== 'object' || body === null) return false;
  const { code, message } = body as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}

function hasRequestId(body: unknown): body is { message?: unknown; requestId: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Record<string, unknown>)['requestId'] === 'string'
  );
}

function withRequestId(body: { message?: unknown; requestId: string }): string {
  const message = typeof body.message === 'string' ? body.message : 'internal error';
  return `${message} (request id ${body.requestId})`;
}

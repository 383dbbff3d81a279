import type { ErrorReply } from '@ml-run/server';
import { AuthErrorCode } from '@ml-run/token-contract';

/** The authorizer refused the request; carries the answer it chose (status, challenge). */
export class RequestRefused extends Error {
  constructor(
    readonly reply: ErrorReply,
    cause: unknown,
  ) {
    super(reply.message, { cause });
    this.name = 'RequestRefused';
  }
}

/**
 * A valid token without the scope a model's door needs: 403 insufficient_scope (RFC 6750),
 * naming the scope in the body for clients to show, as the token authorizer's refusals do.
 */
export function scopeMissing(requiredScope: string, message: string): RequestRefused {
  return new RequestRefused(
    {
      status: 403,
      code: AuthErrorCode.InsufficientScope,
      message,
      details: { requiredScope },
      headers: {
        'www-authenticate': `Bearer realm="ml-run", error="insufficient_scope", scope="${requiredScope}"`,
      },
    },
    undefined,
  );
}

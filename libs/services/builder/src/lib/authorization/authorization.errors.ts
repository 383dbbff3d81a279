import type { ErrorReply } from '@ml-run/server';

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

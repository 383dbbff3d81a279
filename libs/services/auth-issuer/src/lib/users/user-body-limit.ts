import { Transform } from 'node:stream';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RequestPayload,
  RouteOptions,
} from 'fastify';

import { UserAdminErrorCode } from '@ml-run/token-contract';

import { UserAdminError } from './user-admin.errors';

/** A new user's body is three short fields: 16 KiB is generous, MLRUN_MAX_BODY_BYTES is not. */
export const USER_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Bounds the bodies of the user doors (after the admin's token was admitted, which happens
 * first, in onRequest) to USER_BODY_LIMIT_BYTES: a declared longer length is refused before
 * a byte is read, and an undeclared (chunked) one as soon as it passes the bound.
 */
export function limitUserBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== '/v1/users' && !route.url.startsWith('/v1/users/')) return;
    const existing = route.preParsing === undefined ? [] : [route.preParsing].flat();
    route.preParsing = [boundBody, ...existing];
  });
}

function boundBody(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: RequestPayload,
  done: (error: Error | null, payload?: RequestPayload) => void,
): void {
  if (Number(request.headers['content-length'] ?? 0) > USER_BODY_LIMIT_BYTES) {
    done(tooLarge());
    return;
  }
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      seen += chunk.length;
      next(seen > USER_BODY_LIMIT_BYTES ? tooLarge() : null, chunk);
    },
  });
  payload.on('error', (error) => counted.destroy(error));
  done(null, payload.pipe(counted));
}

function tooLarge(): UserAdminError {
  return new UserAdminError(
    413,
    UserAdminErrorCode.PayloadTooLarge,
    `a user request body is at most ${USER_BODY_LIMIT_BYTES} bytes; send only username, password and groups`,
  );
}

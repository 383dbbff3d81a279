import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { DEFAULT_ALIAS } from '@ml-run/registry-contract';
import { REQUEST_ID_HEADER } from '@ml-run/server';

import { RequestBody } from './request-body';
import type { ForwardedRequest, UpstreamAnswer } from './upstream-client';

/** Names an alias per request when `?alias=` is not an option for the client. */
export const ALIAS_HEADER = 'x-mlrun-alias';

// Only what a replica needs: the credential it checks, how to read the body, what the
// caller accepts. Hop-by-hop and client-network headers stay at the router.
const PASSED_ON = ['authorization', 'content-type', 'accept'] as const;

/**
 * The caller's body (a stream, not yet read: see passBodiesThrough) and the passed-through
 * headers, with the router's request id for the replica's logs.
 */
export function forwardedRequest(request: FastifyRequest, maxBodyBytes: number): ForwardedRequest {
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: request.id };
  for (const name of PASSED_ON) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const length = declaredLength(request);
  const source = request.body instanceof Readable ? request.body : undefined;
  return { headers, body: new RequestBody(source, maxBodyBytes, source ? length : 0) };
}

/** The content-length the caller declared; undefined for a chunked body. */
export function declaredLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/** `?alias=`, else the x-mlrun-alias header, else `stable`. */
export function requestedAlias(request: FastifyRequest): string {
  const query = (request.query as Record<string, unknown> | undefined)?.['alias'];
  const fromQuery = Array.isArray(query) ? query[0] : query;
  if (typeof fromQuery === 'string' && fromQuery !== '') return fromQuery;
  const header = request.headers[ALIAS_HEADER];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  return fromHeader ? fromHeader : DEFAULT_ALIAS;
}

/** The replica's answer as the client's: status, the passed-back headers, the body as it comes. */
export function sendAnswer(reply: FastifyReply, answer: UpstreamAnswer): void {
  // A replica that answered before the caller's body was all in refused it unread (a bad
  // token): the rest would hold the caller's connection until the request timeout.
  const headers = reply.request.raw.complete
    ? answer.headers
    : { ...answer.headers, connection: 'close' };
  void reply.status(answer.status).headers(headers).send(answer.body);
}

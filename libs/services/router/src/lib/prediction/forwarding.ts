import type { FastifyReply, FastifyRequest } from 'fastify';

import { DEFAULT_ALIAS } from '@ml-run/registry-contract';
import { REQUEST_ID_HEADER } from '@ml-run/server';

import type { ForwardedRequest, UpstreamAnswer } from './upstream-client';

/** Names an alias per request when `?alias=` is not an option for the client. */
export const ALIAS_HEADER = 'x-mlrun-alias';

// Only what a replica needs: the credential it checks, how to read the body, what the
// caller accepts. Hop-by-hop and client-network headers stay at the router.
const PASSED_ON = ['authorization', 'content-type', 'accept'] as const;

const NO_BODY = Buffer.alloc(0);

/** The raw body and passed-through headers, with the router's request id for the replica's logs. */
export function forwardedRequest(request: FastifyRequest): ForwardedRequest {
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: request.id };
  for (const name of PASSED_ON) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return { headers, body: Buffer.isBuffer(request.body) ? request.body : NO_BODY };
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

/** The replica's answer as the client's: status, body and the passed-back headers. */
export function sendAnswer(reply: FastifyReply, answer: UpstreamAnswer): void {
  void reply.status(answer.status).headers(answer.headers).send(answer.body);
}

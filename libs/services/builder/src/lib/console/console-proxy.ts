import type { FastifyReply, FastifyRequest } from 'fastify';

import { BuilderError, BuilderErrorCode } from '@ml-run/builder-registry';
import { RegistryErrorCode } from '@ml-run/registry-contract';
import type { ClientAddresses } from '@ml-run/server';

import type { AllowedCall, ConsoleUpstream } from './console-allowlist';

export type UpstreamSettings = { url: string; timeoutMs: number; name: string };

// What the browser's request may tell the upstream: its token, its body's type, what it
// takes (and its request id, the one this builder logs it under). Never a cookie: the
// console sets none, and a browser's own cookies for this origin authorize nothing anywhere.
const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept'];
const RETURNED_HEADERS = ['content-type', 'www-authenticate', 'retry-after', 'x-request-id'];

/**
 * Forwards allowlisted console calls to the issuer and the router, and answers as they did
 * (status, body, the headers a client acts on). An upstream away is the builder's clear
 * 503/504/502, naming the service and the setting to check.
 */
export class ConsoleProxy {
  constructor(
    private readonly upstreams: Record<ConsoleUpstream, UpstreamSettings>,
    private readonly clients: ClientAddresses,
  ) {}

  async forward(call: AllowedCall, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const upstream = this.upstreams[call.upstream];
    const response = await this.ask(upstream, call, request);
    let body: Buffer;
    try {
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw failed(upstream, error);
    }
    reply.code(response.status);
    for (const name of RETURNED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) reply.header(name, value);
    }
    await reply.send(body);
  }

  private async ask(
    upstream: UpstreamSettings,
    call: AllowedCall,
    request: FastifyRequest,
  ): Promise<Response> {
    // The browser's address (behind a trusted proxy: the one it names), replacing whatever
    // the browser claimed: the issuer's login throttle counts by it.
    const headers: Record<string, string> = {
      'x-forwarded-for': this.clients.of(request),
      'x-request-id': request.id,
    };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    // Typed as a view of a plain ArrayBuffer (what Fastify's body parser gives): the DOM lib,
    // in the program for the console, types fetch bodies that way.
    const body = Buffer.isBuffer(request.body)
      ? (request.body as Uint8Array<ArrayBuffer>)
      : undefined;
    try {
      return await fetch(`${upstream.url.replace(/\/+$/, '')}${call.path}`, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(upstream.timeoutMs),
      });
    } catch (error) {
      if (isTimeout(error)) {
        throw new BuilderError(
          RegistryErrorCode.UpstreamTimeout,
          `the ${upstream.name} did not answer within ${upstream.timeoutMs / 1000} s; try again`,
        );
      }
      throw new BuilderError(
        BuilderErrorCode.UpstreamUnreachable,
        `the ${upstream.name} cannot be reached from the builder (${causeOf(error)}): check that it runs and the builder's ${settingOf(call.upstream)}`,
      );
    }
  }
}

function failed(upstream: UpstreamSettings, error: unknown): BuilderError {
  return new BuilderError(
    RegistryErrorCode.UpstreamFailed,
    `the ${upstream.name}'s answer broke off (${causeOf(error)}); try again`,
  );
}

const settingOf = (upstream: ConsoleUpstream) =>
  upstream === 'issuer' ? 'MLRUN_ISSUER_URL' : 'MLRUN_ROUTER_URL';

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

// fetch's "fetch failed" hides the socket's reason (ECONNREFUSED, ENOTFOUND) in its cause.
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

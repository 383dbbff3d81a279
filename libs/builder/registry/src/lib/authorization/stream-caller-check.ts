import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { LongLivedStreams, serviceCallerOf } from '@ml-run/server';

import { ModelAccess } from './model-access.service';
import type { ModelScopeTemplate } from './model-rules';
import { REQUEST_AUTHORIZER, type RequestAuthorizer } from './request-authorizer.port';

/** The longest a stream outlives its caller's token (expired or revoked), heartbeat aside. */
const MAX_RECHECK_MS = 5000;

/**
 * Ends a long-lived stream once its caller may no longer read it: the token expired, was
 * revoked, or lost the model's scope. Asked again at every heartbeat (at most 5 s) through the same
 * authorizer that admitted it (its cache forgets a revoked token on the revocation event);
 * the client's reconnect then meets the 401 itself. A service credential has no expiry.
 */
@Injectable()
export class StreamCallerCheck {
  private readonly logger = new Logger(StreamCallerCheck.name);

  constructor(
    @Inject(REQUEST_AUTHORIZER) private readonly authorizer: RequestAuthorizer,
    private readonly models: ModelAccess,
    private readonly streams: LongLivedStreams,
  ) {}

  watch(request: FastifyRequest, response: ServerResponse, template: ModelScopeTemplate): void {
    const everyMs = Math.min(this.streams.limits.heartbeatMs, MAX_RECHECK_MS);
    if (serviceCallerOf(request) !== undefined) return;
    let checking = false;
    const timer = setInterval(() => {
      if (checking) return;
      checking = true;
      this.stillAllowed(request, template)
        .then((allowed) => {
          if (!allowed && !response.writableEnded) {
            this.logger.log({ url: request.url }, 'stream ended: its caller may no longer read it');
            response.end();
          }
        })
        .finally(() => {
          checking = false;
        });
    }, everyMs);
    timer.unref();
    response.once('close', () => clearInterval(timer));
  }

  private async stillAllowed(request: FastifyRequest, template: ModelScopeTemplate) {
    try {
      const header = request.headers.authorization;
      const principal = await this.authorizer.authorize(header, request.url, undefined);
      await this.models.admit(template, principal, request.params as Record<string, string>);
      return true;
    } catch (error) {
      // The validator away (503) says nothing about the caller: the stream goes on.
      const refusal = this.authorizer.refusalReply(error);
      return refusal !== undefined && refusal.status >= 500;
    }
  }
}

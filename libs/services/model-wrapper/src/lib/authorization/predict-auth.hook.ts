import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { TokenAuthorizer, type Principal } from '@ml-run/bearer-auth';
import { annotateRequest } from '@ml-run/server';

const PREDICT_ROUTE = '/v1/predict';

/** The scope a caller needs: `predict:<this model>`. */
export const REQUIRED_SCOPE = Symbol('REQUIRED_SCOPE');

// A Fastify onRequest hook rather than a Nest guard or middleware: it runs before the body
// is read (a caller without a valid token cannot make the replica buffer a 10 MiB body)
// and costs a few microseconds, where Nest's middleware pipeline costs several times that.
@Injectable()
export class PredictAuthHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authorizer: TokenAuthorizer,
    @Inject(REQUIRED_SCOPE) private readonly requiredScope: string,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, _reply, done) => {
      if (request.method !== 'POST' || !isPredictPath(request.url)) return done();
      let outcome: Principal | Promise<Principal>;
      try {
        outcome = this.authorizer.authorize(
          request.headers.authorization,
          request.url,
          this.requiredScope,
        );
      } catch (error) {
        return done(error as Error);
      }
      if (!(outcome instanceof Promise)) return admitted(request, outcome, done);
      outcome.then((principal) => admitted(request, principal, done), done);
    });
  }
}

// request.routeOptions builds an object per call; the raw path check costs nothing.
function isPredictPath(url: string): boolean {
  return url === PREDICT_ROUTE || url.startsWith(`${PREDICT_ROUTE}?`);
}

function admitted(
  request: FastifyRequest,
  principal: Principal,
  done: (error?: Error) => void,
): void {
  annotateRequest(request.raw, { sub: principal.sub, tokenId: principal.tokenId });
  done();
}

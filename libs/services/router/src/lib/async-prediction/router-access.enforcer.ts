import { Inject, Injectable, Optional } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { BearerPresentEnforcer, type RequestChecker } from '@ml-run/bearer-auth';
import { annotateRequest, type AccessEnforcer, type AccessRule } from '@ml-run/server';
import { predictScope } from '@ml-run/token-contract';

import { AsyncPredictionError, AsyncPredictionErrorCode } from './async-prediction.errors';

/** Where the router's token checker is injected (absent: no route with a token rule opens). */
export const REQUEST_CHECKER = Symbol('REQUEST_CHECKER');

/** A token rule's scope that stands for `predict:<the model the path names>`. */
export const PREDICT_NAMED_MODEL = predictScope('{name}');

/** Who a token rule admitted, as the handlers read it. */
export type Caller = { sub: string };

const CALLER = Symbol('mlrun.caller');
type WithCaller = FastifyRequest & { [CALLER]?: Caller };

/** The caller the access check admitted; throws on a route that admits none (a wiring bug). */
export function callerOf(request: FastifyRequest): Caller {
  const caller = (request as WithCaller)[CALLER];
  if (caller === undefined) throw new Error('no caller: the route has no token rule');
  return caller;
}

/**
 * The router's doors: `bearer-present` (synchronous predict: the replica checks the token)
 * and `token` (asynchronous predict and results: nothing behind the router will see the
 * token, so the router checks it here, before the body is read, with the scope the path's
 * model asks for).
 */
@Injectable()
export class RouterAccessEnforcer implements AccessEnforcer {
  private readonly bearerPresent = new BearerPresentEnforcer();

  constructor(@Optional() @Inject(REQUEST_CHECKER) private readonly checker?: RequestChecker) {}

  admit(rules: readonly AccessRule[], request: FastifyRequest): void | Promise<void> {
    const rule = rules.find((r) => r.kind === 'token');
    if (rule?.kind !== 'token') return this.bearerPresent.admit(rules, request);
    // No checker: refuse a missing bearer as everywhere, then say the feature is off.
    this.bearerPresent.admit([{ kind: 'bearer-present' }], request);
    if (this.checker === undefined) throw unavailable();
    return this.admitToken(request, scopeOf(rule.scope, request));
  }

  private async admitToken(request: FastifyRequest, scope: string | undefined): Promise<void> {
    // A refusal is an AuthorizationError: the router's error mapper answers it (RFC 6750).
    const checker = this.checker as RequestChecker;
    const principal = await checker.authorize(request.headers.authorization, request.url, scope);
    (request as WithCaller)[CALLER] = { sub: principal.sub };
    annotateRequest(request.raw, { sub: principal.sub, tokenId: principal.tokenId });
  }
}

function scopeOf(scope: string | undefined, request: FastifyRequest): string | undefined {
  if (scope !== PREDICT_NAMED_MODEL) return scope;
  const { name } = request.params as { name?: string };
  return predictScope(name ?? '');
}

function unavailable(): AsyncPredictionError {
  return new AsyncPredictionError(
    AsyncPredictionErrorCode.AsyncUnavailable,
    'this router serves no asynchronous predictions (it was started without them); use POST /v1/models/{name}/predict',
  );
}

import { createParamDecorator, Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { AuthorizationError } from '@ml-run/bearer-auth';
import { annotateRequest, type AccessEnforcer, type AccessRule } from '@ml-run/server';
import { AuthErrorCode, bearerCredential, scopeAllows, tokenHash } from '@ml-run/token-contract';
import { findLiveRecord, TOKEN_STORE, type TokenStore } from '@ml-run/token-store';

import { withTokenStore } from '../auth-issuer.errors';

const CALLER = Symbol('mlrun.issuerCaller');

type WithCaller = FastifyRequest & { [CALLER]?: string };

/** The username whose token IssuerAccessEnforcer admitted for the current request. */
export const CallerName = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const caller = context.switchToHttp().getRequest<WithCaller>()[CALLER];
  // Only reachable on a route no token rule guards: a bug, so a 500.
  if (caller === undefined) throw new Error('no caller: the route admits no token');
  return caller;
});

/**
 * The issuer's doors that need a token (an admin managing users or revoking their tokens). The issuer
 * holds the token store, so it checks a token where the validators would: no extra hop.
 */
@Injectable()
export class IssuerAccessEnforcer implements AccessEnforcer {
  constructor(@Inject(TOKEN_STORE) private readonly store: TokenStore) {}

  async admit(rules: readonly AccessRule[], request: WithCaller): Promise<void> {
    const rule = rules.find((r) => r.kind === 'token');
    // The issuer declares token rules only: any other rule here is a wiring bug.
    if (rule?.kind !== 'token') throw new Error(`no token rule among ${JSON.stringify(rules)}`);
    const token = bearerCredential(request.headers.authorization);
    if (token === undefined) {
      throw new AuthorizationError(
        AuthErrorCode.MissingToken,
        'send Authorization: Bearer <token> of an admin (POST /v1/auth/token issues one)',
        'missing',
      );
    }
    const record = await withTokenStore(() => findLiveRecord(this.store, tokenHash(token)));
    if (record === undefined) {
      throw new AuthorizationError(
        AuthErrorCode.InvalidToken,
        'the token is unknown, expired or revoked; log in again',
        'invalid',
      );
    }
    if (rule.scope !== undefined && !scopeAllows(record.scope, rule.scope)) {
      throw new AuthorizationError(
        AuthErrorCode.InsufficientScope,
        `this needs the ${rule.scope} scope, which the token lacks`,
        'scope',
        rule.scope,
      );
    }
    request[CALLER] = record.sub;
    annotateRequest(request.raw, { sub: record.sub });
  }
}

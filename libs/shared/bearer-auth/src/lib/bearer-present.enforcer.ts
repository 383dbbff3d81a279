import type { FastifyRequest } from 'fastify';

import type { AccessEnforcer, AccessRule } from '@ml-run/server';
import { AuthErrorCode, bearerCredential } from '@ml-run/token-contract';

import { AuthorizationError } from './authorization.errors';

/**
 * The router's `bearer-present` predict routes: a bearer header must be there, and the
 * replica behind checks it. Service rules are the platform's (bindAccessRules); token rules
 * need a TokenAuthorizer, which a service without them does not hold.
 */
export class BearerPresentEnforcer implements AccessEnforcer {
  admit(rules: readonly AccessRule[], request: FastifyRequest): void {
    // Any other rule here is a wiring bug: a 500, not a guess at a policy.
    if (!rules.some((rule) => rule.kind === 'bearer-present')) {
      throw new Error(`no bearer-present rule among ${JSON.stringify(rules)}`);
    }
    if (bearerCredential(request.headers.authorization) !== undefined) return;
    throw new AuthorizationError(
      AuthErrorCode.MissingToken,
      'send Authorization: Bearer <token>; log in with POST /v1/auth/token to get one',
      'missing',
    );
  }
}

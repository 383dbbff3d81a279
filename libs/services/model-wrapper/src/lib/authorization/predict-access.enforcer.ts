import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { TokenAuthorizer, type Principal } from '@ml-run/bearer-auth';
import { annotateRequest, type AccessEnforcer, type AccessRule } from '@ml-run/server';
import { predictScope } from '@ml-run/token-contract';

/** The scope a caller needs: `predict:<this model>`. */
export const REQUIRED_SCOPE = Symbol('REQUIRED_SCOPE');

/** A token rule's scope that stands for `predict:<this replica's model>`. */
export const PREDICT_THIS_MODEL = predictScope('{model}');

/**
 * Checks the bearer token of the routes that ask for one (POST /v1/predict). It runs as the
 * matched route's onRequest hook: before the body is read, so a caller without a valid token
 * cannot make the replica buffer a 10 MiB body, and synchronously on an L1 hit.
 */
@Injectable()
export class PredictAccessEnforcer implements AccessEnforcer {
  constructor(
    private readonly authorizer: TokenAuthorizer,
    @Inject(REQUIRED_SCOPE) private readonly requiredScope: string,
  ) {}

  admit(rules: readonly AccessRule[], request: FastifyRequest): void | Promise<void> {
    const rule = rules.find((r) => r.kind === 'token');
    // A wrapper serves predict and public probes only: any other rule is a wiring bug.
    if (rule === undefined) throw new Error(`no token rule among ${JSON.stringify(rules)}`);
    const scope = rule.scope === PREDICT_THIS_MODEL ? this.requiredScope : rule.scope;
    const outcome = this.authorizer.authorize(
      request.headers.authorization,
      request.url,
      scope,
      request.raw.socket,
    );
    if (!(outcome instanceof Promise)) return admitted(request, outcome);
    return outcome.then((principal) => admitted(request, principal));
  }
}

/** MLRUN_AUTH_MODE=disabled: the operator turned checks off (a replica run by hand). */
export const ADMIT_EVERYONE: AccessEnforcer = { admit: () => undefined };

function admitted(request: FastifyRequest, principal: Principal): void {
  annotateRequest(request.raw, { sub: principal.sub, tokenId: principal.tokenId });
}

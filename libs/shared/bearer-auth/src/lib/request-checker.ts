import type { ErrorReply } from '@ml-run/server';

import { AuthorizationError, authorizationReply } from './authorization.errors';
import { BearerAuthModule, type BearerAuthSettings } from './bearer-auth.module';
import { TokenAuthorizer, type Principal } from './token-authorizer.service';

/** A service's view of bearer checking: the caller, or a refusal and its RFC 6750 answer. */
export type RequestChecker = {
  authorize(
    header: string | string[] | undefined,
    url: string,
    requiredScope: string | undefined,
  ): Principal | Promise<Principal>;
  refusalReply(error: unknown): ErrorReply | undefined;
};

/**
 * A Nest factory provider (minus `provide`) for a RequestChecker over TokenAuthorizer, for
 * services that take their authorizer as an adapter (the builder).
 */
export function requestCheckerProvider(settings: BearerAuthSettings) {
  return {
    imports: [BearerAuthModule.forSettings(settings)],
    inject: [TokenAuthorizer],
    useFactory: (tokens: TokenAuthorizer): RequestChecker => ({
      authorize: (header, url, scope) => tokens.authorize(header, url, scope),
      refusalReply: (error) =>
        error instanceof AuthorizationError ? authorizationReply(error) : undefined,
    }),
  };
}

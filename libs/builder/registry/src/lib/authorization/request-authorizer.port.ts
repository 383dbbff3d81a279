import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';

import type { ErrorReply } from '@ml-run/server';

/**
 * Who made a request: logged with it and recorded as `uploadedBy`; its scopes and groups
 * decide what it may do to which model.
 */
export type Principal = {
  sub: string;
  tokenId: string;
  scopes: readonly string[];
  groups: readonly string[];
};

/**
 * Checks a request's bearer token (in practice @ml-run/bearer-auth's TokenAuthorizer).
 * A local port so the builder's tests run with a fake and the host picks the real one.
 */
export interface RequestAuthorizer {
  /**
   * Resolves to the caller, or throws/rejects a refusal. `requiredScope` undefined means
   * any valid token.
   */
  authorize(
    authorizationHeader: string | string[] | undefined,
    url: string,
    requiredScope: string | undefined,
  ): Principal | Promise<Principal>;
  /** The answer (401/403/503 with its headers) for a refusal it threw; undefined for others. */
  refusalReply(error: unknown): ErrorReply | undefined;
}

/**
 * How a host gives the builder an authorizer that lives in Nest DI (TokenAuthorizer from
 * BearerAuthModule): the modules to import and a factory over what they export.
 */
export type RequestAuthorizerProvider = Omit<FactoryProvider<RequestAuthorizer>, 'provide'> & {
  imports: NonNullable<ModuleMetadata['imports']>;
};

export const REQUEST_AUTHORIZER = Symbol('REQUEST_AUTHORIZER');

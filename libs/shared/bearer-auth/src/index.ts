export {
  AuthorizationError,
  authorizationReply,
  mapAuthorizationError,
} from './lib/authorization.errors';
export { BearerAuthModule, type BearerAuthSettings } from './lib/bearer-auth.module';
export type { L1Settings } from './lib/l1-token-cache';
export type { RevocationFeed } from './lib/revocation-feed';
export { TokenAuthorizer, type Principal } from './lib/token-authorizer.service';
export type { ValidatorSettings } from './lib/validator-client';
export { requestCheckerProvider, type RequestChecker } from './lib/request-checker';
export { BearerPresentEnforcer } from './lib/bearer-present.enforcer';

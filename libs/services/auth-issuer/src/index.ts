export {
  authIssuerConfigShape,
  usersFileOf,
  type AuthIssuerConfig,
} from './lib/auth-issuer.config';
export { OAuthError, type OAuthErrorName } from './lib/auth-issuer.errors';
export { AuthIssuerModule, type AuthIssuerAdapters } from './lib/auth-issuer.module';
export { createAuthIssuerApp, type AuthIssuerAppAdapters } from './lib/create-auth-issuer-app';
export { memoryLoginCounters, type LoginCounters } from './lib/login-throttle/login-counters.port';
export { generateSigningKeyPem } from './lib/jwt/signing-keys';

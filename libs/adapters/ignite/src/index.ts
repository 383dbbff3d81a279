export { connectIgnitePool } from './lib/connect-ignite-pool';
export { IgniteCache } from './lib/ignite-cache';
export {
  IgnitePool,
  type CacheOf,
  type IgnitePoolOptions,
  type IgnitePoolStats,
} from './lib/ignite-pool';
export { IgniteError, IgniteErrorCode, IgniteUnavailableError } from './lib/ignite.errors';
export {
  IgniteTokenStore,
  TOKENS_CACHE,
  type IgniteTokenStoreOptions,
  type TokenCache,
} from './lib/ignite-token-store';
export {
  igniteConfigShape,
  igniteEndpointsOf,
  ignitePoolOptionsOf,
  type IgniteConfig,
} from './lib/ignite.config';
export { installIgniteResponseFraming } from './lib/response-framing';
export {
  IGNITE_SETTINGS_CACHE,
  igniteTokenTtlSeconds,
  tokenLifetimeProblem,
} from './lib/token-lifetime-check';

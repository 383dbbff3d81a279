export { connectIgnitePool } from './lib/connect-ignite-pool';
export { compareAndSet } from './lib/compare-and-set';
export { IgniteCache } from './lib/ignite-cache';
export {
  IgnitePool,
  type IgniteCredentials,
  type IgnitePoolOptions,
  type IgnitePoolStats,
} from './lib/ignite-pool';
export { IgniteError, IgniteErrorCode, IgniteUnavailableError } from './lib/ignite.errors';
export { IgniteKeyvStore, type KeyvIgniteCache } from './lib/ignite-keyv-store';
export {
  IgniteTokenStore,
  TOKENS_CACHE,
  type IgniteTokenStoreOptions,
} from './lib/ignite-token-store';
export {
  igniteConfigShape,
  tokenMacConfigShape,
  tokenRecordMacOf,
  type IgniteConfig,
} from './lib/ignite.config';
export { IgniteRateLimiter, type RateLimitCache } from './lib/ignite-rate-limiter';
export {
  IgniteRateLimiters,
  RATE_LIMITS_CACHE,
  type IgniteRateLimitersOptions,
} from './lib/ignite-rate-limiters';
export { tokenLifetimeProblem } from './lib/token-lifetime-check';

export { connectIgnitePool } from './lib/connect-ignite-pool';
export { IgniteCache } from './lib/ignite-cache';
export { IgnitePool, type IgnitePoolOptions, type IgnitePoolStats } from './lib/ignite-pool';
export { IgniteError, IgniteErrorCode, IgniteUnavailableError } from './lib/ignite.errors';
export {
  IgniteTokenStore,
  TOKENS_CACHE,
  type IgniteTokenStoreOptions,
} from './lib/ignite-token-store';
export { igniteConfigShape, type IgniteConfig } from './lib/ignite.config';
export { installIgniteResponseFraming } from './lib/response-framing';
export { tokenLifetimeProblem } from './lib/token-lifetime-check';

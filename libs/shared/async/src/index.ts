export { deferred, type Deferred } from './lib/deferred';
export { exponentialDelayMs, type ExponentialDelay } from './lib/exponential-delay';
export { DEFAULT_BACKOFF, RestartBackoff, type BackoffOptions } from './lib/restart-backoff';
export { withDeadline } from './lib/with-deadline';

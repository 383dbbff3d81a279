export { DEFAULT_BACKOFF, RestartBackoff, type BackoffOptions } from './lib/restart-backoff';

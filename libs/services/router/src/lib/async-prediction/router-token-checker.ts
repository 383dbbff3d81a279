import { requestCheckerProvider, type RevocationFeed } from '@ml-run/bearer-auth';
import { SseEventSubscriber } from '@ml-run/event-bus';

import type { RouterConfig } from '../router.config';

/**
 * The token checker of the asynchronous routes for a standalone router: the validator at
 * MLRUN_VALIDATOR_URL, asked with MLRUN_INTROSPECTION_TOKEN; undefined without that
 * credential (the asynchronous routes then answer 503). Revocations evict its cache: the
 * validator's event stream unless another feed (Kafka) is given.
 */
export function routerTokenChecker(config: RouterConfig, revocations?: RevocationFeed) {
  const credential = config.MLRUN_INTROSPECTION_TOKEN;
  if (credential === undefined) return undefined;
  const url = new URL('/v1/tokens/events', config.MLRUN_VALIDATOR_URL).toString();
  return requestCheckerProvider({
    l1: { maxEntries: 10_000, ttlMs: 30_000, negativeTtlMs: 2000 },
    validator: { url: config.MLRUN_VALIDATOR_URL, credential, timeoutMs: 2000 },
    revocations: revocations ?? new SseEventSubscriber({ url, credential }),
  });
}

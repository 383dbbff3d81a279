import { ConfigError } from '@ml-run/config';
import { SseEventSubscriber, type EventSubscriber } from '@ml-run/event-bus';
import { predictScope } from '@ml-run/token-contract';

import type { ModelWrapperConfig } from '../model-wrapper.module';
import type { AuthorizationSettings } from './authorization.module';

/** The authorization settings for a model, or undefined when MLRUN_AUTH_MODE=disabled. */
export function authorizationSettings(
  config: ModelWrapperConfig,
  model: string,
  events: EventSubscriber | undefined,
): AuthorizationSettings | undefined {
  if (config.MLRUN_AUTH_MODE === 'disabled') return undefined;
  const credential = config.MLRUN_INTROSPECTION_TOKEN;
  if (!credential) {
    throw new ConfigError([
      {
        variable: 'MLRUN_INTROSPECTION_TOKEN',
        message:
          'is required when MLRUN_AUTH_MODE=bearer: set it to the introspection credential the token-validator checks',
      },
    ]);
  }
  const eventsUrl =
    config.MLRUN_TOKEN_EVENTS_URL ??
    new URL('/v1/tokens/events', config.MLRUN_VALIDATOR_URL).toString();
  return {
    requiredScope: predictScope(model),
    l1: {
      maxEntries: config.MLRUN_L1_MAX_ENTRIES,
      ttlMs: config.MLRUN_L1_TTL,
      negativeTtlMs: config.MLRUN_L1_NEGATIVE_TTL,
    },
    validator: {
      url: config.MLRUN_VALIDATOR_URL,
      credential,
      timeoutMs: config.MLRUN_VALIDATOR_TIMEOUT_MS,
    },
    revocations: events ?? new SseEventSubscriber({ url: eventsUrl, credential }),
    ...(config.MLRUN_TOKEN_JWKS_URL !== undefined && {
      signedTokens: {
        jwksUrl: config.MLRUN_TOKEN_JWKS_URL,
        timeoutMs: config.MLRUN_VALIDATOR_TIMEOUT_MS,
      },
    }),
  };
}

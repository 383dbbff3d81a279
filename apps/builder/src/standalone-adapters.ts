import path from 'node:path';

import { requestCheckerProvider } from '@ml-run/bearer-auth';
import type { BuilderAdapters } from '@ml-run/builder';
import { intVar, modelProcessEnv, secretVar, stringVar, type ConfigOf } from '@ml-run/config';
import { ProcessDeployer } from '@ml-run/deployer';
import { MemoryEventBus, SseEventSubscriber } from '@ml-run/event-bus';

const httpUrl = { pattern: /^https?:\/\//, hint: 'must be an http(s) URL' };

/** What a standalone builder needs besides builderConfigShape: how tokens are checked. */
export const standaloneConfigShape = {
  MLRUN_VALIDATOR_URL: stringVar({ default: 'http://127.0.0.1:8092', ...httpUrl }),
  /** The token-validator's service credential; the builder's wrappers get it too. */
  MLRUN_SERVICE_TOKEN: secretVar({
    hint: "must be set to the token-validator's service credential",
  }),
  MLRUN_VALIDATOR_TIMEOUT_MS: intVar({ min: 50, max: 60_000, default: 2000 }),
  /** The built model-wrapper each replica runs; default: next to this app in dist/apps. */
  MLRUN_WRAPPER_MAIN: stringVar().optional(),
};

export type StandaloneConfig = ConfigOf<typeof standaloneConfigShape>;

/**
 * The builder on its own: replicas as child processes, tokens checked by the validator,
 * events in process (routers read GET /v1/routes until the Kafka bus lands).
 */
export function standaloneAdapters(config: StandaloneConfig): BuilderAdapters {
  const validator = {
    url: config.MLRUN_VALIDATOR_URL,
    serviceToken: config.MLRUN_SERVICE_TOKEN,
    timeoutMs: config.MLRUN_VALIDATOR_TIMEOUT_MS,
  };
  const revocations = new SseEventSubscriber({
    url: new URL('/v1/tokens/events', validator.url).toString(),
    serviceToken: validator.serviceToken,
  });
  return {
    events: new MemoryEventBus(),
    deployer: new ProcessDeployer({
      wrapperMain: config.MLRUN_WRAPPER_MAIN ?? path.join(__dirname, '../model-wrapper/main.js'),
      baseEnv: modelProcessEnv(),
    }),
    // A short L1: the builder sees few requests, and a revoked writer must stop quickly.
    authorizer: requestCheckerProvider({
      l1: { maxEntries: 10_000, ttlMs: 30_000, negativeTtlMs: 2000 },
      validator,
      revocations,
    }),
    wrapperEnv: {
      MLRUN_AUTH_MODE: 'bearer',
      MLRUN_VALIDATOR_URL: validator.url,
      MLRUN_SERVICE_TOKEN: validator.serviceToken,
    },
  };
}

import { loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { TEST_CREDENTIALS, TEST_METRICS_TOKEN } from '@ml-run/server/testing';
import { MemoryTokenStore, type TokenStore } from '@ml-run/token-store';

import { createTokenValidatorApp } from '../lib/create-token-validator-app';
import { tokenValidatorConfigShape } from '../lib/token-validator.config';

/** The introspection credential of the test validator (what wrappers present). */
export const INTROSPECTION_TOKEN = TEST_CREDENTIALS.introspection;
export const AUTHORIZED = { authorization: `Bearer ${INTROSPECTION_TOKEN}` };

export type TestValidator = {
  app: ServiceApp;
  store: TokenStore;
  bus: MemoryEventBus;
  close: () => Promise<void>;
};

/** A validator on memory adapters (or the store given), not listening unless asked. */
export async function startTestValidator(
  options: { store?: TokenStore; settings?: Record<string, string> } = {},
): Promise<TestValidator> {
  const config = loadConfig(tokenValidatorConfigShape, {
    MLRUN_PORT: '0',
    MLRUN_LOG_LEVEL: 'silent',
    MLRUN_INTROSPECTION_TOKEN: INTROSPECTION_TOKEN,
    MLRUN_METRICS_TOKEN: TEST_METRICS_TOKEN,
    ...options.settings,
  });
  const memoryStore = new MemoryTokenStore();
  const store = options.store ?? memoryStore;
  const bus = new MemoryEventBus();
  const app = await createTokenValidatorApp(config, { tokenStore: store, events: bus });
  const close = async () => {
    await app.close();
    memoryStore.close();
  };
  return { app, store, bus, close };
}

import 'reflect-metadata';

import { loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import { runService } from '@ml-run/server';
import { MemoryTokenStore } from '@ml-run/token-store';
import { createTokenValidatorApp, tokenValidatorConfigShape } from '@ml-run/token-validator';

// Memory adapters for now: standalone, this process sees only its own (empty) store. The
// Ignite token store and Kafka subscriber (cluster mode) come later; embedded mode passes
// the store and bus it shares with the auth-issuer.
void runService(() =>
  createTokenValidatorApp(loadConfig(tokenValidatorConfigShape), {
    tokenStore: new MemoryTokenStore(),
    events: new MemoryEventBus(),
  }),
);

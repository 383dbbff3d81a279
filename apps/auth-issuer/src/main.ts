import 'reflect-metadata';

import { authIssuerConfigShape, createAuthIssuerApp } from '@ml-run/auth-issuer';
import { loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import { runService } from '@ml-run/server';
import { MemoryTokenStore } from '@ml-run/token-store';

// Memory adapters for now: tokens live in this process only. The Ignite token store and
// the Kafka bus arrive with cluster mode and get picked here from config.
void runService(() =>
  createAuthIssuerApp(loadConfig(authIssuerConfigShape), {
    tokenStore: new MemoryTokenStore(),
    events: new MemoryEventBus(),
  }),
);

import 'reflect-metadata';

import { loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import { createRouterApp, routerConfigShape } from '@ml-run/router';
import { runService } from '@ml-run/server';

// Standalone, routes come from the builder's snapshot only: a memory bus hears no events.
// The Kafka subscriber (cluster mode) arrives later and gets picked here from config;
// embedded mode passes the bus it shares with the builder.
void runService(() =>
  createRouterApp(loadConfig(routerConfigShape), { events: new MemoryEventBus() }),
);

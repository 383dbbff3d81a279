import 'reflect-metadata';

import { loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import { kafkaConfigShape, startKafkaBus } from '@ml-run/kafka-bus';
import { MODEL_EVENTS_TOPIC } from '@ml-run/registry-contract';
import { createRouterApp, routerConfigShape } from '@ml-run/router';
import { runService } from '@ml-run/server';

// Routes start from the builder's snapshot; with MLRUN_KAFKA_BROKERS set, lifecycle events
// keep them current (and a gap in them reloads the snapshot). Without Kafka, a memory
// bus hears nothing: embedded mode passes the bus it shares with the builder instead.
void runService(async () => {
  const config = loadConfig(routerConfigShape);
  const kafka = await startKafkaBus(loadConfig(kafkaConfigShape), {
    service: 'router',
    topics: [MODEL_EVENTS_TOPIC],
  });
  return createRouterApp(
    config,
    { events: kafka ?? new MemoryEventBus() },
    { resources: kafka ? [kafka] : [] },
  );
});

import 'reflect-metadata';

import { IgnitePredictionResults } from '@ml-run/async-predictions';
import { loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import { connectIgnitePool, igniteConfigShape, type IgnitePool } from '@ml-run/ignite';
import {
  kafkaConfigShape,
  kafkaPredictionConfigShape,
  kafkaPredictionTransportOf,
  startKafkaBus,
} from '@ml-run/kafka-bus';
import type { AsyncPredictionAdapters, PredictionResults } from '@ml-run/prediction-contract';
import { MODEL_EVENTS_TOPIC } from '@ml-run/registry-contract';
import { createRouterApp, routerConfigShape, routerTokenChecker } from '@ml-run/router';
import { runService, type OwnedResource } from '@ml-run/server';

// Routes start from the builder's snapshot; with MLRUN_KAFKA_BROKERS set, lifecycle events
// keep them current (and a gap in them reloads the snapshot). Without Kafka, a memory
// bus hears nothing: embedded mode passes the bus it shares with the builder instead.
// Asynchronous predictions: tokens checked with the validator (MLRUN_INTROSPECTION_TOKEN),
// results in the platform Ignite (MLRUN_IGNITE_ENDPOINTS), requests and outcomes on Kafka.
void runService(async () => {
  const config = loadConfig(routerConfigShape);
  const resources: OwnedResource[] = [];
  const kafka = await startKafkaBus(loadConfig(kafkaConfigShape), {
    service: 'router',
    topics: [MODEL_EVENTS_TOPIC],
  });
  if (kafka) resources.push(kafka);
  const ignite = await connectIgnitePool(loadConfig(igniteConfigShape));
  if (ignite) resources.push(ignite);
  const results = ignite && (await sharedResults(ignite, resources));
  const authorizer = routerTokenChecker(config);
  const asyncPredictions = results && clusterAsyncPredictions(results, resources);
  return createRouterApp(
    config,
    {
      events: kafka ?? new MemoryEventBus(),
      ...(authorizer && { authorizer }),
      ...(asyncPredictions && { asyncPredictions }),
    },
    { resources },
  );
});

async function sharedResults(ignite: IgnitePool, resources: OwnedResource[]) {
  const results = new IgnitePredictionResults(ignite);
  await results.ensureCache();
  resources.push(results);
  return results;
}

// The model's request topic as the queue and every model's outcome topic as the feed (one
// group for all routers), with the platform's Kafka principal; without Kafka a cluster
// router answers the asynchronous routes with 503 ASYNC_PREDICTIONS_UNAVAILABLE.
function clusterAsyncPredictions(
  results: PredictionResults,
  resources: OwnedResource[],
): AsyncPredictionAdapters | undefined {
  const transport = kafkaPredictionTransportOf(loadConfig(kafkaPredictionConfigShape), 'router');
  if (!transport) return undefined;
  resources.push(transport.queue, transport.outcomes);
  return { ...transport, results };
}

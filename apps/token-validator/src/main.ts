import 'reflect-metadata';

import { loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import {
  connectIgnitePool,
  igniteConfigShape,
  IgniteKeyvStore,
  tokenMacConfigShape,
  tokenRecordMacOf,
  TOKENS_CACHE,
} from '@ml-run/ignite';
import { kafkaConfigShape, startKafkaBus } from '@ml-run/kafka-bus';
import { runService, type OwnedResource } from '@ml-run/server';
import { TOKEN_EVENTS_TOPIC } from '@ml-run/token-contract';
import { MemoryTokenStore, TieredTokenStore } from '@ml-run/token-store';
import { createTokenValidatorApp, tokenValidatorConfigShape } from '@ml-run/token-validator';

// Cluster mode when MLRUN_IGNITE_ENDPOINTS / MLRUN_KAFKA_BROKERS are set: records from
// Ignite through a memory tier (cache-manager; Ignite as a Keyv store), revocations from
// Kafka (relayed to wrappers, and evicting this process's memory tier).
// Standalone without them, this process sees only its own, empty store.
void runService(async () => {
  const config = loadConfig(tokenValidatorConfigShape);
  const cluster = loadConfig({ ...igniteConfigShape, ...kafkaConfigShape, ...tokenMacConfigShape });
  // Checked before anything connects: Ignite without the MAC key fails start at once.
  const mac = cluster.MLRUN_IGNITE_ENDPOINTS ? tokenRecordMacOf(cluster) : undefined;
  const resources: OwnedResource[] = [];
  const kafka = await startKafkaBus(cluster, {
    service: 'token-validator',
    topics: [TOKEN_EVENTS_TOPIC],
  });
  if (kafka) resources.push(kafka);
  const events = kafka ?? new MemoryEventBus();
  const ignite = await connectIgnitePool(cluster);
  if (ignite) resources.push(ignite);
  const tokenStore =
    ignite && mac
      ? new TieredTokenStore(new IgniteKeyvStore(ignite.cache(TOKENS_CACHE)), {
          mac,
          revocations: events,
        })
      : new MemoryTokenStore();
  resources.push(tokenStore);
  return createTokenValidatorApp(config, { tokenStore, events }, { resources });
});

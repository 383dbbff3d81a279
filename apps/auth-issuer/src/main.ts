import 'reflect-metadata';

import { authIssuerConfigShape, createAuthIssuerApp } from '@ml-run/auth-issuer';
import { ConfigError, loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import {
  connectIgnitePool,
  igniteConfigShape,
  IgniteRateLimiters,
  IgniteTokenStore,
  tokenLifetimeProblem,
  tokenMacConfigShape,
  tokenRecordMacOf,
} from '@ml-run/ignite';
import { kafkaConfigShape, startKafkaBus } from '@ml-run/kafka-bus';
import { runService, type OwnedResource } from '@ml-run/server';
import { MemoryTokenStore } from '@ml-run/token-store';

// Cluster mode when MLRUN_IGNITE_ENDPOINTS / MLRUN_KAFKA_BROKERS are set (tokens and
// failed-login counts in Ignite, revocations on Kafka); otherwise this process keeps them
// to itself.
void runService(async () => {
  const config = loadConfig(authIssuerConfigShape);
  const cluster = loadConfig({ ...igniteConfigShape, ...kafkaConfigShape, ...tokenMacConfigShape });
  // Checked before anything connects: Ignite without the MAC key fails start at once.
  const mac = cluster.MLRUN_IGNITE_ENDPOINTS ? tokenRecordMacOf(cluster) : undefined;
  const resources: OwnedResource[] = [];
  const ignite = await connectIgnitePool(cluster);
  if (ignite) {
    resources.push(ignite);
    // The issuer promises MLRUN_TOKEN_TTL; Ignite must not forget a token before that.
    const problem = await tokenLifetimeProblem(ignite, config.MLRUN_TOKEN_TTL);
    if (problem) throw new ConfigError([{ variable: 'MLRUN_TOKEN_TTL', message: problem }]);
  }
  const kafka = await startKafkaBus(cluster, { service: 'auth-issuer', topics: [] });
  if (kafka) resources.push(kafka);
  // Read straight through: the issuer writes tokens and reads one only to revoke it.
  const tokenStore = ignite && mac ? new IgniteTokenStore(ignite, { mac }) : new MemoryTokenStore();
  if (tokenStore instanceof MemoryTokenStore) resources.push(tokenStore);
  // Several issuers behind one address share the counts: a guesser gains nothing by
  // spreading attempts over them.
  const loginCounters = ignite && new IgniteRateLimiters(ignite);
  if (loginCounters) {
    await loginCounters.start();
    resources.push(loginCounters);
  }
  return createAuthIssuerApp(
    config,
    { tokenStore, events: kafka ?? new MemoryEventBus(), loginCounters },
    { resources },
  );
});

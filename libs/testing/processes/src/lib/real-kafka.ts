import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The platform's SASL credentials, in the shape kafkajs takes. */
export type KafkaSasl = { mechanism: 'scram-sha-512'; username: string; password: string };

export type RealKafka = {
  /** Bootstrap brokers as host:port. */
  brokers: string[];
  /** The platform's principal; undefined when up.sh kept no credentials (an old broker). */
  sasl?: KafkaSasl;
  /** The same, as the MLRUN_KAFKA_* settings of a service. */
  env: Record<string, string>;
  /** Client settings of the broker's own (super) user, for Kafka's CLI tools. */
  adminConfig: string;
  /** The broker's own (super) user, as the builder's admin principal in tests. */
  admin?: KafkaSasl;
};

/**
 * The broker of tools/services/kafka/up.sh, found as up.sh places it: MLRUN_KAFKA_SERVICES_DIR
 * or MLRUN_SERVICES_DIR, and MLRUN_KAFKA_PORT (a private broker beside the shared one), with the platform
 * password up.sh generated there, unless MLRUN_KAFKA_USERNAME / MLRUN_KAFKA_PASSWORD
 * name other credentials.
 */
export function realKafka(env: NodeJS.ProcessEnv = process.env): RealKafka {
  const brokers = [`127.0.0.1:${env['MLRUN_KAFKA_PORT'] ?? '9092'}`];
  const services =
    env['MLRUN_KAFKA_SERVICES_DIR'] ??
    env['MLRUN_SERVICES_DIR'] ??
    path.join(homedir(), '.ml-run/services');
  const file = path.join(services, 'kafka/credentials/platform.password');
  const adminConfig = path.join(services, 'kafka/credentials/admin.properties');
  const password =
    env['MLRUN_KAFKA_PASSWORD'] ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
  const settings = { MLRUN_KAFKA_BROKERS: brokers.join(',') };
  if (!password) return { brokers, env: settings, adminConfig };
  const username = env['MLRUN_KAFKA_USERNAME'] ?? 'ml-run-platform';
  const admin = adminOf(adminConfig);
  return {
    brokers,
    adminConfig,
    ...(admin && { admin }),
    sasl: { mechanism: 'scram-sha-512', username, password },
    env: {
      ...settings,
      MLRUN_KAFKA_USERNAME: username,
      MLRUN_KAFKA_PASSWORD: password,
      MLRUN_KAFKA_SASL_MECHANISM: 'scram-sha-512',
    },
  };
}

// up.sh writes the broker's user into admin.properties as a JAAS line.
function adminOf(adminConfig: string): KafkaSasl | undefined {
  if (!existsSync(adminConfig)) return undefined;
  const jaas = /username="([^"]+)" password="([^"]+)"/.exec(readFileSync(adminConfig, 'utf8'));
  if (!jaas?.[1] || !jaas[2]) return undefined;
  return { mechanism: 'scram-sha-512', username: jaas[1], password: jaas[2] };
}

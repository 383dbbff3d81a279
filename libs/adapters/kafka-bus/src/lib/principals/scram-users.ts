import type { Kafka } from 'kafkajs';

import {
  ALTER_USER_SCRAM_CREDENTIALS_API_KEY,
  decodeAlterationResults,
  encodeDeletions,
  encodeUpsertions,
  RESOURCE_NOT_FOUND,
  type ScramAlterationResult,
  type ScramUpsertion,
} from './alter-user-scram-credentials';

// kafkajs has no AlterUserScramCredentials, but its cluster object holds authenticated
// broker connections that send any request given as { apiKey, apiVersion, encode } with a
// { decode, parse }. The cluster is reached through the Kafka client's private factory:
// the one way to reuse kafkajs's SASL login rather than write a second one.
type Cluster = {
  connect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  disconnect(): Promise<void>;
  findControllerBroker(): Promise<{ connectionPool: { send(request: object): Promise<unknown> } }>;
};

function clusterOf(kafka: Kafka): Cluster {
  const factory = Object.getOwnPropertySymbols(kafka).find(
    (symbol) => symbol.description === 'private:Kafka:createCluster',
  );
  const create = factory && (kafka as unknown as Record<symbol, unknown>)[factory];
  if (typeof create !== 'function') {
    throw new Error(
      'this kafkajs version has no cluster factory; AlterUserScramCredentials needs one',
    );
  }
  return create.call(kafka, {}) as Cluster;
}

/** Creates or replaces SCRAM-SHA-512 credentials (the caller needs Alter on the cluster). */
export async function upsertScramUsers(
  kafka: Kafka,
  users: readonly ScramUpsertion[],
): Promise<void> {
  const failed = (await alterScramCredentials(kafka, encodeUpsertions(users))).filter(
    ({ errorCode }) => errorCode !== 0,
  );
  if (failed.length > 0) throw refused(failed);
}

/**
 * Deletes the users' SCRAM-SHA-512 credentials: they can no longer log in. Idempotent: a
 * user without one (never created, or deleted already) counts as done.
 */
export async function deleteScramUsers(kafka: Kafka, names: readonly string[]): Promise<void> {
  const failed = (await alterScramCredentials(kafka, encodeDeletions(names))).filter(
    ({ errorCode }) => errorCode !== 0 && errorCode !== RESOURCE_NOT_FOUND,
  );
  if (failed.length > 0) throw refused(failed);
}

function refused(failed: ScramAlterationResult[]): Error {
  const detail = failed.map((r) => `${r.user}: ${r.errorCode} ${r.errorMessage ?? ''}`).join('; ');
  return new Error(`Kafka refused the SCRAM credentials change (${detail})`);
}

// One AlterUserScramCredentials request to the controller, over a connection of its own.
async function alterScramCredentials(kafka: Kafka, body: Buffer): Promise<ScramAlterationResult[]> {
  const cluster = clusterOf(kafka);
  await cluster.connect();
  try {
    await cluster.refreshMetadata();
    const broker = await cluster.findControllerBroker();
    return (await broker.connectionPool.send({
      request: {
        apiKey: ALTER_USER_SCRAM_CREDENTIALS_API_KEY,
        apiVersion: 0,
        apiName: 'AlterUserScramCredentials',
        // kafkajs appends an encoder's `buffer` after the header.
        encode: async () => ({ buf: body, buffer: body }),
      },
      response: {
        decode: async (raw: Buffer) => decodeAlterationResults(raw),
        parse: async <T>(data: T) => data,
      },
    })) as ScramAlterationResult[];
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}

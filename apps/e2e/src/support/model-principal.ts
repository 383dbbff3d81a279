import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  AclPermissionTypes,
  Kafka,
  logLevel,
  AclOperationTypes as Op,
  ResourcePatternTypes as Pattern,
  AclResourceTypes as Resource,
} from 'kafkajs';

import {
  modelPrincipalOf,
  predictionGroupOf,
  predictionOutcomeTopicOf,
  predictionRequestTopicOf,
} from '@ml-run/prediction-contract';
import { realKafka, REPO_ROOT } from '@ml-run/process-testing';

export type ModelPrincipal = { username: string; password: string };

/**
 * A model's principal shaped as the builder provisions it (KafkaModelPrincipals, whose own
 * int-spec proves its grants, refusals and revocation): an e2e speaks only to running
 * components and may not import the adapter, so Kafka's own admin tool creates the SCRAM
 * user here (one fixed generation: this test never redeploys), and the broker admin grants
 * the same ACLs; the model's topics are created as the builder does, with `partitions` each.
 */
export async function provisionModelPrincipal(
  model: string,
  modelSecret: string,
  partitions: number,
): Promise<ModelPrincipal> {
  const { brokers, adminConfig, admin: adminSasl } = realKafka();
  if (!adminSasl) throw new Error('start Kafka with tools/services/kafka/up.sh');
  const principal = {
    username: modelPrincipalOf(model),
    password: createHmac('sha256', modelSecret).update(model).digest('hex'),
  };
  await addScramUser(principal, brokers[0] ?? '', adminConfig);
  await grantModelTopics(
    model,
    principal,
    new Kafka({ brokers, sasl: adminSasl, logLevel: logLevel.NOTHING }),
    partitions,
  );
  return principal;
}

async function addScramUser(principal: ModelPrincipal, broker: string, adminConfig: string) {
  await promisify(execFile)(
    path.join(REPO_ROOT, 'tools/services/kafka/run-class.sh'),
    [
      'kafka.admin.ConfigCommand',
      ...['--bootstrap-server', broker, '--command-config', adminConfig],
      ...['--alter', '--entity-type', 'users', '--entity-name', principal.username],
      ...['--add-config', `SCRAM-SHA-512=[iterations=8192,password=${principal.password}]`],
    ],
    { timeout: 90_000 },
  );
}

async function grantModelTopics(
  model: string,
  principal: ModelPrincipal,
  kafka: Kafka,
  partitions: number,
) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [predictionRequestTopicOf(model), predictionOutcomeTopicOf(model)].map((topic) => ({
        topic,
        numPartitions: partitions,
      })),
      waitForLeaders: true,
    });
    const grants: [Resource, string, Op][] = [
      [Resource.TOPIC, predictionRequestTopicOf(model), Op.READ],
      [Resource.TOPIC, predictionOutcomeTopicOf(model), Op.WRITE],
      [Resource.GROUP, predictionGroupOf(model), Op.READ],
    ];
    await admin.createAcls({
      acl: grants.map(([resourceType, resourceName, operation]) => ({
        resourceType,
        resourceName,
        resourcePatternType: Pattern.LITERAL,
        principal: `User:${principal.username}`,
        host: '*',
        operation,
        permissionType: AclPermissionTypes.ALLOW,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

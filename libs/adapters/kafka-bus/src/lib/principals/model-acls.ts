import {
  AclPermissionTypes,
  AclOperationTypes as Op,
  ResourcePatternTypes as Pattern,
  AclResourceTypes as Resource,
  type AclEntry,
} from 'kafkajs';

import {
  predictionGroupOf,
  predictionOutcomeTopicOf,
  predictionRequestTopicOf,
  streamTopicPrefixOf,
} from '@ml-run/prediction-contract';

/**
 * Everything a model's principal (SCRAM user `username`) may do, and nothing else (the broker denies what no ACL
 * allows). Literal names for the request and outcome topics and the group: a prefix
 * `ml-run.predict.iris` would also match iris-2's. The stream namespace ends with '.', so
 * its prefix matches the model's own topics (and stream groups) only. Describe comes with
 * Read and Write; IdempotentWrite with Write on a topic (KIP-679).
 */
export function aclsOf(model: string, username: string): AclEntry[] {
  const grants: [Resource, string, Pattern, Op[]][] = [
    [Resource.TOPIC, predictionRequestTopicOf(model), Pattern.LITERAL, [Op.READ, Op.DESCRIBE]],
    [Resource.TOPIC, predictionOutcomeTopicOf(model), Pattern.LITERAL, [Op.WRITE, Op.DESCRIBE]],
    [Resource.GROUP, predictionGroupOf(model), Pattern.LITERAL, [Op.READ]],
    [
      Resource.TOPIC,
      streamTopicPrefixOf(model),
      Pattern.PREFIXED,
      [Op.READ, Op.WRITE, Op.DESCRIBE, Op.CREATE],
    ],
    [Resource.GROUP, streamTopicPrefixOf(model), Pattern.PREFIXED, [Op.READ]],
  ];
  const principal = `User:${username}`;
  return grants.flatMap(([resourceType, resourceName, resourcePatternType, operations]) =>
    operations.map((operation) => ({
      resourceType,
      resourceName,
      resourcePatternType,
      principal,
      host: '*',
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

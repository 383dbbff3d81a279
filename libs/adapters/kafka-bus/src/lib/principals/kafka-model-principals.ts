import { createHmac } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type Kafka,
} from 'kafkajs';

import {
  modelPrincipalOf,
  predictionOutcomeTopicOf,
  predictionRequestTopicOf,
} from '@ml-run/prediction-contract';

import { ensureTopics } from '../kafka-topics';
import {
  kafkaClientOf,
  PREDICTION_KAFKAJS_RETRY,
  type KafkaConnection,
} from '../predictions/kafka-client';
import { aclsOf } from './model-acls';
import { deleteScramUsers, upsertScramUsers } from './scram-users';

/** What one model's replicas connect to Kafka with (their own principal, never the platform's). */
export type ModelKafkaCredential = {
  /** Bootstrap brokers as host:port,host:port. */
  brokers: string;
  username: string;
  password: string;
};

export type KafkaModelPrincipalsOptions = KafkaConnection & {
  /** MLRUN_KAFKA_MODEL_SECRET: each model's password is derived from it and the name. */
  modelSecret: string;
  /** Partitions of a model's request and outcome topics. */
  numPartitions: number;
};

const MODEL_NAME = /^[a-z][a-z0-9-]{0,62}$/;
/** A generation is a random nonce (base64url): at least 128 bits, nothing to escape. */
const GENERATION = /^[A-Za-z0-9_-]{22,64}$/;
const MODEL_PRINCIPAL_PREFIX = `User:${modelPrincipalOf('')}`;

/**
 * A model's password: HMAC-SHA256(secret, name/generation). The generation is a nonce the
 * builder draws when a model gets its first deployment and keeps with its deployments, so
 * a restarted builder hands replicas the same credential, while a model redeployed after
 * all its deployments went (or deleted and uploaded again under the same name) gets
 * another password: an old one, leaked from an old replica, is never valid again.
 * '/' is in neither a model name nor a generation, so the pair is unambiguous.
 */
export function modelPasswordOf(modelSecret: string, model: string, generation: string): string {
  return createHmac('sha256', modelSecret).update(`${model}/${generation}`).digest('hex');
}

/**
 * Gives each deployed model its own Kafka principal (SCRAM user `model-<name>`) whose ACLs
 * cover only that model's topics: Read its request topic, Write its outcome topic, Read
 * as its group, and Read/Write/Create in its stream namespace. The connection must be an
 * admin principal (Alter on the cluster): the builder's alone.
 */
export class KafkaModelPrincipals {
  private readonly logger = new Logger(KafkaModelPrincipals.name);
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;

  constructor(private readonly options: KafkaModelPrincipalsOptions) {
    this.kafka = kafkaClientOf(options, this.logger);
    this.admin = this.kafka.admin({ retry: PREDICTION_KAFKAJS_RETRY });
  }

  /**
   * Creates (or refreshes) the model's user, topics and ACLs; idempotent for one
   * generation. Another generation replaces the password (replicas holding the old one
   * can no longer log in).
   */
  async provision(model: string, generation: string): Promise<ModelKafkaCredential> {
    checkModel(model);
    if (!GENERATION.test(generation)) throw new Error('not a principal generation');
    const credential = {
      brokers: this.options.brokers.join(','),
      username: modelPrincipalOf(model),
      password: modelPasswordOf(this.options.modelSecret, model, generation),
    };
    await this.connect();
    await upsertScramUsers(this.kafka, [
      { name: credential.username, password: credential.password },
    ]);
    const topics = [predictionRequestTopicOf(model), predictionOutcomeTopicOf(model)];
    await ensureTopics(this.admin, topics, this.options.numPartitions);
    await this.admin.createAcls({ acl: aclsOf(model) });
    this.logger.log({ model, principal: credential.username }, 'model principal provisioned');
    return credential;
  }

  /**
   * Deletes the model's SCRAM credential (no replica can log in as it any more) and every
   * ACL naming its principal; idempotent. The credential goes first: should the ACLs stay
   * (Kafka away midway), `provisionedModels` still lists the model, so a later reconcile
   * finishes the job. Its topics stay: they hold requests and outcomes the platform owns.
   */
  async revoke(model: string): Promise<void> {
    checkModel(model);
    await this.connect();
    await deleteScramUsers(this.kafka, [modelPrincipalOf(model)]);
    await this.admin.deleteAcls({ filters: [aclsOfPrincipal(`User:${modelPrincipalOf(model)}`)] });
    this.logger.log({ model, principal: modelPrincipalOf(model) }, 'model principal revoked');
  }

  /** Models whose principal holds at least one ACL: those `revoke` has not finished. */
  async provisionedModels(): Promise<string[]> {
    await this.connect();
    const { resources } = await this.admin.describeAcls(aclsOfPrincipal(undefined));
    const models = resources
      .flatMap(({ acls }) => acls.map(({ principal }) => principal))
      .filter((principal) => principal.startsWith(MODEL_PRINCIPAL_PREFIX))
      .map((principal) => principal.slice(MODEL_PRINCIPAL_PREFIX.length))
      .filter((model) => MODEL_NAME.test(model));
    return [...new Set(models)].sort();
  }

  private async connect(): Promise<void> {
    this.connected ??= this.admin.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}

function checkModel(model: string): void {
  if (!MODEL_NAME.test(model)) throw new Error(`not a model name: ${JSON.stringify(model)}`);
}

/** Every ACL of one principal (or of all principals), whatever resource or operation. */
function aclsOfPrincipal(principal: string | undefined) {
  return {
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    ...(principal === undefined ? {} : { principal }),
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  };
}

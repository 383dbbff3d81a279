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
  /**
   * Bootstrap brokers as replicas reach them (MLRUN_WRAPPER_KAFKA_BROKERS); default
   * `brokers`. A builder on a host reaches Kafka at 127.0.0.1, a model's pod cannot.
   */
  replicaBrokers?: readonly string[];
};

const MODEL_NAME = /^[a-z][a-z0-9-]{0,62}$/;
/** A generation is a random nonce (base64url): at least 128 bits, nothing to escape. */
const GENERATION = /^[A-Za-z0-9_-]{22,64}$/;
const MODEL_PRINCIPAL_PREFIX = `User:${modelPrincipalOf('')}`;

/**
 * The SCRAM user of one generation of a model's principal: `model-<name>.<generation>`
 * ('.' is in no model name, so the name is what precedes the first one). ACLs name it, so
 * a session that logged in as an older generation (Kafka keeps a connection authenticated
 * after its credential is deleted) holds none of the ACLs a later generation gets.
 */
export function modelUsernameOf(model: string, generation: string): string {
  return `${modelPrincipalOf(model)}.${generation}`;
}

/** The model an ACL principal belongs to (`User:model-<name>` before generations, too). */
function modelOfPrincipal(principal: string): string | undefined {
  if (!principal.startsWith(MODEL_PRINCIPAL_PREFIX)) return undefined;
  const model = principal.slice(MODEL_PRINCIPAL_PREFIX.length).split('.')[0] ?? '';
  return MODEL_NAME.test(model) ? model : undefined;
}

/** What `provision` hands a model's replicas for one generation; derives, connects to nothing. */
export function modelKafkaCredentialOf(
  options: Pick<KafkaModelPrincipalsOptions, 'brokers' | 'replicaBrokers' | 'modelSecret'>,
  model: string,
  generation: string,
): ModelKafkaCredential {
  return {
    brokers: (options.replicaBrokers ?? options.brokers).join(','),
    username: modelUsernameOf(model, generation),
    password: modelPasswordOf(options.modelSecret, model, generation),
  };
}

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
 * Gives each deployed model its own Kafka principal (SCRAM user `model-<name>.<generation>`) whose ACLs
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
   * generation. Another generation is another user and password, and the model's other
   * generations are revoked (replicas holding an old password can no longer log in).
   */
  async provision(model: string, generation: string): Promise<ModelKafkaCredential> {
    checkModel(model);
    if (!GENERATION.test(generation)) throw new Error('not a principal generation');
    const credential = modelKafkaCredentialOf(this.options, model, generation);
    await this.connect();
    await upsertScramUsers(this.kafka, [
      { name: credential.username, password: credential.password },
    ]);
    const topics = [predictionRequestTopicOf(model), predictionOutcomeTopicOf(model)];
    await ensureTopics(this.admin, topics, this.options.numPartitions);
    await this.admin.createAcls({ acl: aclsOf(model, credential.username) });
    // Older generations go once this one may work: their passwords are worth nothing.
    await this.revokePrincipals(model, credential.username);
    this.logger.log({ model, principal: credential.username }, 'model principal provisioned');
    return credential;
  }

  /**
   * Deletes the model's SCRAM credentials (no replica can log in as it any more) and every
   * ACL naming its principals, of any generation; idempotent. Credentials go first: should
   * the ACLs stay (Kafka away midway), `provisionedModels` still lists the model, so a
   * later reconcile finishes the job. Its topics stay: they hold the platform's records.
   */
  async revoke(model: string): Promise<void> {
    checkModel(model);
    await this.revokePrincipals(model, undefined);
    this.logger.log({ model }, 'model principal revoked');
  }

  /** Models whose principal holds at least one ACL: those `revoke` has not finished. */
  async provisionedModels(): Promise<string[]> {
    const models = (await this.principalsWithAcls())
      .map(modelOfPrincipal)
      .filter((model) => model !== undefined);
    return [...new Set(models)].sort();
  }

  // Every principal of the model that holds an ACL (and the one from before generations),
  // but `keep`: credentials first, then ACLs.
  private async revokePrincipals(model: string, keep: string | undefined): Promise<void> {
    // The pre-generation user may hold a credential whether or not ACLs are left.
    const listed = [...(await this.principalsWithAcls()), `User:${modelPrincipalOf(model)}`];
    const principals = [...new Set(listed)].filter(
      (principal) => modelOfPrincipal(principal) === model && principal !== `User:${keep}`,
    );
    const usernames = principals.map((principal) => principal.slice('User:'.length));
    await deleteScramUsers(this.kafka, usernames);
    await this.admin.deleteAcls({ filters: principals.map(aclsOfPrincipal) });
  }

  private async principalsWithAcls(): Promise<string[]> {
    await this.connect();
    const { resources } = await this.admin.describeAcls(aclsOfPrincipal(undefined));
    return [...new Set(resources.flatMap(({ acls }) => acls.map(({ principal }) => principal)))];
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

import { createHmac } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';

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
import { upsertScramUsers } from './scram-users';

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

/**
 * A model's password: HMAC-SHA256(secret, name). Derivable, so a restarted builder hands
 * replicas the same credential without storing any; unguessable without the secret.
 */
export function modelPasswordOf(modelSecret: string, model: string): string {
  return createHmac('sha256', modelSecret).update(model).digest('hex');
}

/** What `provision` hands a model's replicas; derives, connects to nothing. */
export function modelKafkaCredentialOf(
  options: Pick<KafkaModelPrincipalsOptions, 'brokers' | 'replicaBrokers' | 'modelSecret'>,
  model: string,
): ModelKafkaCredential {
  return {
    brokers: (options.replicaBrokers ?? options.brokers).join(','),
    username: modelPrincipalOf(model),
    password: modelPasswordOf(options.modelSecret, model),
  };
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

  /** Creates (or refreshes) the model's user, topics and ACLs; idempotent. */
  async provision(model: string): Promise<ModelKafkaCredential> {
    if (!MODEL_NAME.test(model)) throw new Error(`not a model name: ${JSON.stringify(model)}`);
    const credential = modelKafkaCredentialOf(this.options, model);
    this.connected ??= this.admin.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    await upsertScramUsers(this.kafka, [
      { name: credential.username, password: credential.password },
    ]);
    const topics = [predictionRequestTopicOf(model), predictionOutcomeTopicOf(model)];
    await ensureTopics(this.admin, topics, this.options.numPartitions);
    await this.admin.createAcls({ acl: aclsOf(model) });
    this.logger.log({ model, principal: credential.username }, 'model principal provisioned');
    return credential;
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}

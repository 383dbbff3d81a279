import { Logger } from '@nestjs/common';
import type { Admin } from 'kafkajs';

import {
  predictionOutcomeTopicOf,
  predictionRequestTopicOf,
  type PredictionQueue,
  type PredictionRequest,
} from '@ml-run/prediction-contract';

import { KafkaBusError, KafkaBusErrorCode } from '../kafka-bus.errors';
import { messageOf } from '../kafka-errors';
import { ensureTopics } from '../kafka-topics';
import { BatchingSender } from './batching-sender';
import { kafkaClientOf, PREDICTION_KAFKAJS_RETRY, type KafkaConnection } from './kafka-client';
import { requestMessageOf } from './prediction-codec';

export type KafkaPredictionQueueOptions = KafkaConnection & {
  /** Partitions of a model's request and outcome topics when this queue creates them. */
  numPartitions: number;
};

/**
 * Puts accepted requests on their model's request topic (key: prediction id): idempotent
 * producer, acks from all in-sync replicas, concurrent requests sent together. A model's
 * request and outcome topics are created at its first request when missing (the builder
 * creates them at deployment; this covers a request that comes first).
 */
export class KafkaPredictionQueue implements PredictionQueue {
  private readonly logger = new Logger(KafkaPredictionQueue.name);
  private readonly admin: Admin;
  private readonly sender: BatchingSender;
  private adminConnected: Promise<void> | undefined;
  private readonly ensured = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly options: KafkaPredictionQueueOptions) {
    const kafka = kafkaClientOf(options, this.logger);
    this.admin = kafka.admin({ retry: PREDICTION_KAFKAJS_RETRY });
    this.sender = new BatchingSender(kafka, this.logger);
  }

  async enqueue(request: PredictionRequest): Promise<void> {
    if (this.closed) throw new KafkaBusError(KafkaBusErrorCode.Closed, 'the queue is closed');
    try {
      await this.ensureTopicsOf(request.model);
      const topic = predictionRequestTopicOf(request.model);
      await this.sender.send([{ topic, message: requestMessageOf(request) }]);
    } catch (error) {
      throw new KafkaBusError(
        KafkaBusErrorCode.PublishFailed,
        `Kafka did not take the prediction request for ${request.model}: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.sender.close();
    await this.admin.disconnect().catch(() => undefined);
  }

  private ensureTopicsOf(model: string): Promise<void> {
    let ensured = this.ensured.get(model);
    if (!ensured) {
      const topics = [predictionRequestTopicOf(model), predictionOutcomeTopicOf(model)];
      this.adminConnected ??= this.admin.connect().catch((error: unknown) => {
        this.adminConnected = undefined;
        throw error;
      });
      ensured = this.adminConnected.then(() =>
        ensureTopics(this.admin, topics, this.options.numPartitions),
      );
      // A failure is not remembered: the next request tries again.
      ensured.catch(() => this.ensured.delete(model));
      this.ensured.set(model, ensured);
    }
    return ensured;
  }
}

import type { Logger } from '@nestjs/common';
import type { Kafka, Message, Producer } from 'kafkajs';

import { isProducerStateLost } from '../kafka-errors';
import { PREDICTION_KAFKAJS_RETRY } from './kafka-client';

/** One message for one topic. */
export type TopicMessage = { topic: string; message: Message };

type Pending = TopicMessage & { resolve: () => void; reject: (error: unknown) => void };

/**
 * An idempotent producer (acks from all in-sync replicas) whose concurrent send() calls
 * go out together, one request at a time: a retried request then never interleaves with
 * another, so the broker's sequence check drops a duplicate instead of mistaking another
 * message for one, and many small sends cost one round trip.
 */
export class BatchingSender {
  private producer: Producer;
  private connecting: Promise<void> | undefined;
  private pending: Pending[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
  ) {
    this.producer = this.newProducer();
  }

  /** Resolves once every message is acknowledged by all in-sync replicas. */
  send(messages: readonly TopicMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const sent = messages.map(
      (message) =>
        new Promise<void>((resolve, reject) => this.pending.push({ ...message, resolve, reject })),
    );
    this.flushing ??= this.flush();
    return Promise.all(sent).then(() => undefined);
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.producer.disconnect().catch(() => undefined);
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: PREDICTION_KAFKAJS_RETRY,
    });
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  // Sends what piled up while the previous request was in flight, until nothing is left.
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.connect();
        await this.producer.sendBatch({ acks: -1, topicMessages: byTopic(batch) });
        for (const { resolve } of batch) resolve();
      } catch (error) {
        for (const { reject } of batch) reject(error);
        if (isProducerStateLost(error)) await this.replaceProducer();
      }
    }
    this.flushing = undefined;
  }

  private async replaceProducer(): Promise<void> {
    this.logger.warn({}, 'the broker lost this producer; starting a new one');
    const old = this.producer;
    this.producer = this.newProducer();
    this.connecting = undefined;
    await old.disconnect().catch(() => undefined);
  }
}

function byTopic(batch: readonly TopicMessage[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  for (const { topic, message } of batch) {
    const messages = topics.get(topic) ?? [];
    messages.push(message);
    topics.set(topic, messages);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

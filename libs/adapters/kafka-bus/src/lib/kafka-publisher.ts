import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
import type { Message, Producer } from 'kafkajs';

import { exponentialDelayMs, withDeadline } from '@ml-run/async';

import { KafkaBusError, KafkaBusErrorCode } from './kafka-bus.errors';
import { isProducerStateLost, isRetriable, messageOf, RETRY_DELAY } from './kafka-errors';

const CLOSE_DRAIN_MS = 5000;

export type KafkaPublisherOptions = {
  createProducer: () => Producer;
  /** Creates a topic unless it exists; called once per topic before its first send. */
  ensureTopic: (topic: string) => Promise<void>;
  publishTimeoutMs: number;
  logger: Logger;
};

// Sends are serialized: events keep the order of publish() calls, and a retried send
// always reuses the sequence number kafkajs rolled back, so the broker's idempotence
// check drops a duplicate instead of mistaking another event for one.
export class KafkaPublisher {
  private producer: Producer;
  private connected = false;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly ensured = new Set<string>();
  private closed = false;

  constructor(private readonly options: KafkaPublisherOptions) {
    this.producer = options.createProducer();
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  markEnsured(topics: readonly string[]): void {
    for (const topic of topics) this.ensured.add(topic);
  }

  publish(topic: string, message: Message): Promise<void> {
    const { publishTimeoutMs } = this.options;
    const deadline = Date.now() + publishTimeoutMs;
    const timeout = () =>
      new KafkaBusError(
        KafkaBusErrorCode.PublishTimeout,
        `Kafka did not acknowledge the event on ${topic} within ${publishTimeoutMs} ms`,
      );
    const sent = this.tail.then(() => this.sendUntil(topic, message, deadline, timeout));
    this.tail = sent.catch(() => undefined);
    return withDeadline(sent, publishTimeoutMs, timeout);
  }

  // Lets the send in progress finish, for a while: a broker that accepts connections but
  // does not answer yet (it is starting) holds a request for up to kafkajs's requestTimeout.
  // Queued events are rejected as closed.
  async close(): Promise<void> {
    this.closed = true;
    await withDeadline(this.tail, CLOSE_DRAIN_MS, () => new Error('drain')).catch(() => undefined);
    await this.producer.disconnect();
  }

  private async sendUntil(
    topic: string,
    message: Message,
    deadline: number,
    timeout: () => KafkaBusError,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new KafkaBusError(KafkaBusErrorCode.Closed, 'the event bus is closed');
      // Past the deadline no event goes out late; and this must reject, not resolve: on a
      // busy event loop it can settle before publish()'s own timer, and resolving would
      // tell the caller an event was delivered that never was.
      if (Date.now() >= deadline) throw timeout();
      try {
        await this.sendOnce(topic, message);
        return;
      } catch (error) {
        if (!isRetriable(error) && !isProducerStateLost(error)) throw failed(topic, error);
        const delayMs = Math.max(
          0,
          Math.min(exponentialDelayMs(attempt - 1, RETRY_DELAY), deadline - Date.now()),
        );
        this.options.logger.warn(
          { topic, attempt, delayMs, error: messageOf(error) },
          'publish failed; retrying',
        );
        if (isProducerStateLost(error)) await this.replaceProducer();
        await sleep(delayMs);
      }
    }
  }

  private async sendOnce(topic: string, message: Message): Promise<void> {
    if (!this.connected) await this.connect();
    if (!this.ensured.has(topic)) {
      await this.options.ensureTopic(topic);
      this.ensured.add(topic);
    }
    await this.producer.send({ topic, acks: -1, messages: [message] });
  }

  private async replaceProducer(): Promise<void> {
    this.options.logger.warn({}, 'the broker lost this producer; starting a new one');
    const old = this.producer;
    this.producer = this.options.createProducer();
    this.connected = false;
    await old.disconnect().catch(() => undefined);
  }
}

function failed(topic: string, error: unknown): KafkaBusError {
  return new KafkaBusError(
    KafkaBusErrorCode.PublishFailed,
    `Kafka refused the event on ${topic}: ${messageOf(error)}`,
    { cause: error },
  );
}

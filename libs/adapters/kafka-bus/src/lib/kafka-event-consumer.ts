import type { Logger } from '@nestjs/common';
import type { Consumer, ConsumerCrashEvent, EachMessagePayload } from 'kafkajs';

import { deferred, RestartBackoff } from '@ml-run/async';

import { ConsumerGaps } from './consumer-gaps';
import { messageOf } from './kafka-errors';
import { decodeEvent } from './kafka-event-codec';
import type { Subscriptions } from './subscriptions';

export type StartPosition = { topic: string; partition: number; offset: string };

export type KafkaEventConsumerOptions = {
  createConsumer: () => Consumer;
  groupId: string;
  topics: readonly string[];
  subscriptions: Subscriptions;
  logger: Logger;
};

/** One consumer for all of a bus's topics; restarts itself until closed. */
export class KafkaEventConsumer {
  private consumer: Consumer | undefined;
  private readonly gaps = new ConsumerGaps();
  private readonly backoff = new RestartBackoff({
    initialMs: 1000,
    maxMs: 15_000,
    resetAfterMs: 60_000,
  });
  private positions: StartPosition[] = [];
  private joinedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private closed = false;
  private readonly firstJoin = deferred();

  constructor(private readonly options: KafkaEventConsumerOptions) {}

  /**
   * Runs the consumer. `positions` are where a new group starts, applied on its first join
   * (read before start() returns, so no event published after start() is skipped).
   */
  async start(positions: StartPosition[]): Promise<void> {
    this.positions = positions;
    try {
      await this.run();
    } catch (error) {
      await this.consumer?.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Settles on the first join of the group. */
  get joined(): Promise<void> {
    return this.firstJoin.promise;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    await this.restarting;
    await this.consumer?.disconnect();
  }

  private async run(): Promise<void> {
    const consumer = this.options.createConsumer();
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => this.onJoin(consumer));
    consumer.on(consumer.events.CRASH, (event) => this.onCrash(event));
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: false });
    await consumer.run({ eachMessage: (payload) => this.receive(payload) });
  }

  // Runs synchronously inside kafkajs's join, before the first fetch: seeks set here are
  // used (and committed) by that fetch.
  private onJoin(consumer: Consumer): void {
    for (const position of this.positions) consumer.seek(position);
    this.positions = [];
    this.joinedAt = Date.now();
    const { groupId } = this.options;
    if (this.gaps.joined()) this.options.subscriptions.gap(`consumer group ${groupId} rejoined`);
    else this.options.logger.log({ groupId }, 'kafka consumer joined its group');
    this.firstJoin.resolve();
  }

  private onCrash({ payload }: ConsumerCrashEvent): void {
    if (this.closed) return;
    const { groupId } = this.options;
    const { error, restart } = payload;
    this.options.logger.error(
      { groupId, error: messageOf(error), restart },
      'kafka consumer crashed',
    );
    if (this.gaps.crashed()) this.options.subscriptions.gap(`consumer of ${groupId} crashed`);
    // kafkajs restarts by itself after retriable errors only; after any other, it stays down.
    if (!restart) this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delayMs = this.backoff.next(this.joinedAt ? Date.now() - this.joinedAt : 0);
    this.options.logger.warn({ delayMs }, 'restarting the kafka consumer');
    this.restartTimer = setTimeout(() => (this.restarting = this.restart()), delayMs);
  }

  private async restart(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    if (this.closed) return;
    try {
      await this.run();
    } catch (error) {
      this.options.logger.error({ error: messageOf(error) }, 'kafka consumer restart failed');
      await this.consumer?.disconnect().catch(() => undefined);
      if (!this.closed) this.scheduleRestart();
    }
  }

  private async receive({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const decoded = decodeEvent(message.value);
    if (!decoded.ok) {
      const { offset } = message;
      this.options.logger.warn(
        { topic, partition, offset, reason: decoded.reason },
        'skipped a message that is not an event',
      );
      return;
    }
    await this.options.subscriptions.deliver(topic, decoded.event);
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';

import { messageOf } from '../kafka-errors';
import { ensureTopics } from '../kafka-topics';
import { BatchingSender, type TopicMessage } from './batching-sender';
import { InFlightSlots } from './in-flight-slots';
import { kafkaClientOf, PREDICTION_KAFKAJS_RETRY, type KafkaConnection } from './kafka-client';
import { OffsetTracker } from './offset-tracker';
import { PartitionProgress } from './partition-progress';

// Below the group's session timeout (10 s), as kafkajs's own heartbeatInterval.
const HEARTBEAT_MS = 3000;

/** One consumed message, as a handler sees it. */
export type WorkItem = {
  topic: string;
  partition: number;
  offset: string;
  key?: string;
  value: Buffer | null;
};

/** Handles one message; resolves with the messages to produce before its offset is committed. */
export type WorkHandler = (item: WorkItem) => Promise<readonly TopicMessage[]>;

export type KafkaWorkConsumerOptions = KafkaConnection & {
  groupId: string;
  /** The topics, or a pattern resolved now and again every topicRefreshMs. */
  topics: readonly string[] | RegExp;
  handle: WorkHandler;
  /** Messages handled at once by this consumer (all partitions together). */
  maxInFlight: number;
  /** How often a pattern is resolved again; default 5000. */
  topicRefreshMs?: number;
  /** Topics this consumer creates when missing (its principal needs Create on them). */
  createTopics?: readonly string[];
  /** Partitions of the topics it creates; default 3. */
  numPartitions?: number;
  /** At most one offset commit per this interval; default 500. */
  commitIntervalMs?: number;
};

/** What the metrics show: messages in flight, and how far the group is behind. */
export type WorkConsumerStats = { inFlight: number; lag: number };

/**
 * Consume, handle, produce, then commit: at-least-once. A message's offset is committed
 * only once its handler's output is acknowledged by Kafka and every earlier message of
 * its partition is, so a consumer killed at any point loses nothing; what it handled and
 * did not commit is handled again by another member (the outputs are keyed, so the
 * reader drops the second one). At most maxInFlight messages are handled at once: past
 * the bound the batch waits, and kafkajs fetches no more for a partition whose batch is
 * not done, which pauses the fetch.
 */
export class KafkaWorkConsumer {
  private readonly logger = new Logger(KafkaWorkConsumer.name);
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly sender: BatchingSender;
  private readonly slots: InFlightSlots;
  private progress = new PartitionProgress();
  private committer: NodeJS.Timeout | undefined;
  private consumer: Consumer | undefined;
  private subscribed: string[] = [];
  private refresher: NodeJS.Timeout | undefined;
  private restarting: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: KafkaWorkConsumerOptions) {
    this.kafka = kafkaClientOf(options, this.logger);
    this.admin = this.kafka.admin({ retry: PREDICTION_KAFKAJS_RETRY });
    this.sender = new BatchingSender(this.kafka, this.logger);
    this.slots = new InFlightSlots(options.maxInFlight);
  }

  stats(): WorkConsumerStats {
    return { inFlight: this.slots.inFlight, lag: this.progress.lag() };
  }

  /** Joins the group and starts consuming; waits (up to timeoutMs) for the topics to exist. */
  async start(timeoutMs = 30_000): Promise<void> {
    await this.admin.connect();
    const { createTopics = [], numPartitions = 3 } = this.options;
    await ensureTopics(this.admin, createTopics, numPartitions);
    const topics = await this.waitForTopics(Date.now() + timeoutMs);
    if (topics.length > 0) await this.run(topics);
    const { topics: wanted, topicRefreshMs = 5000, commitIntervalMs = 500 } = this.options;
    this.committer = setInterval(() => void this.commit(), commitIntervalMs);
    this.committer.unref();
    if (wanted instanceof RegExp) {
      this.refresher = setInterval(() => void this.refresh(), topicRefreshMs);
      this.refresher.unref();
    }
  }

  /** Finishes the batch in progress, commits what is done, and leaves the group. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.refresher);
    clearInterval(this.committer);
    await this.restarting;
    await this.commit();
    await this.consumer?.disconnect().catch(() => undefined);
    await this.sender.close();
    await this.admin.disconnect().catch(() => undefined);
  }

  private async matchingTopics(): Promise<string[]> {
    const { topics } = this.options;
    if (!(topics instanceof RegExp)) return [...topics];
    return (await this.admin.listTopics()).filter((topic) => topics.test(topic)).sort();
  }

  // A pattern may match nothing yet (no model deployed): the refresher joins later.
  private async waitForTopics(deadline: number): Promise<string[]> {
    const { topics: wanted } = this.options;
    if (wanted instanceof RegExp) return this.matchingTopics();
    for (;;) {
      const existing = new Set(await this.admin.listTopics());
      if (wanted.every((topic) => existing.has(topic))) return [...wanted];
      if (Date.now() >= deadline) throw new Error(`topics ${wanted.join(', ')} do not exist`);
      await sleep(500);
    }
  }

  // kafkajs resolves a subscription pattern once: topics created later (a newly deployed
  // model's outcome topic) are picked up by joining again with the new list.
  private async refresh(): Promise<void> {
    if (this.closed) return;
    // A failed rejoin is logged and tried again at the next refresh (subscribed unchanged).
    const failed = (error: unknown) =>
      this.logger.warn({ error: messageOf(error) }, 'could not refresh the subscribed topics');
    const topics = await this.matchingTopics().catch(failed);
    if (!topics || topics.join(',') === this.subscribed.join(',') || this.closed) return;
    this.logger.log({ groupId: this.options.groupId, topics }, 'new topics; joining again');
    this.restarting = this.restarting
      .then(async () => {
        await this.commit();
        await this.consumer?.disconnect();
        this.subscribed = [];
        this.progress = new PartitionProgress();
        if (!this.closed && topics.length > 0) await this.run(topics);
      })
      .catch(failed);
    await this.restarting;
  }

  private async run(topics: string[]): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      sessionTimeout: 10_000,
      rebalanceTimeout: 20_000,
      heartbeatInterval: 3000,
      retry: { ...PREDICTION_KAFKAJS_RETRY, restartOnFailure: async () => !this.closed },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
      this.progress.keepOnly(payload.memberAssignment),
    );
    await consumer.connect();
    // From the beginning for a group without commits: requests accepted before the first
    // replica joined (or outcomes published before the first router) are not skipped.
    await consumer.subscribe({ topics, fromBeginning: true });
    this.subscribed = topics;
    // Commits are ours (commit()): kafkajs's autoCommit also commits after every batch.
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  // At most once per commitIntervalMs, and before leaving: what a killed consumer handled
  // since is handled again by another member. A refused commit (a rebalance under way) is
  // tried again at the next tick.
  private async commit(): Promise<void> {
    const offsets = this.progress.uncommitted();
    if (!this.consumer || offsets.length === 0) return;
    try {
      await this.consumer.commitOffsets(offsets);
      this.progress.committed(offsets);
    } catch (error) {
      this.logger.warn({ error: messageOf(error) }, 'offsets not committed; trying again');
    }
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat } = payload;
    const { topic, partition } = batch;
    const [high, first] = [Number(batch.highWatermark), Number(batch.firstOffset())];
    this.progress.fetched(topic, partition, high, first);
    // kafkajs heartbeats only when asked: a slow model holding every slot must not look
    // dead to the group (a rebalance would hand its messages to another replica).
    const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
    let failure: unknown;
    try {
      failure = await this.handleMessages(payload);
    } finally {
      clearInterval(beating);
    }
    // Thrown, kafkajs restarts the consumer from the last commit: the failed message and
    // those after it are handled again.
    if (failure !== undefined) {
      await this.commit();
      throw failure;
    }
  }

  // Handles the batch's messages, at most maxInFlight at once over all partitions, and
  // resolves each contiguous handled prefix; answers the first handler failure. Whatever
  // ends the loop (a rebalance thrown by heartbeat), the handlers started are awaited.
  private async handleMessages(payload: EachBatchPayload): Promise<unknown> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic, partition, messages } = batch;
    const tracker = new OffsetTracker(messages.map((message) => message.offset));
    const running = new Set<Promise<void>>();
    let failure: unknown;
    try {
      for (const message of messages) {
        if (!isRunning() || isStale() || failure !== undefined) break;
        await this.slots.acquire();
        const task = this.handleOne(topic, partition, message)
          .then(() => {
            const done = tracker.complete(message.offset);
            if (done === undefined) return;
            resolveOffset(done);
            this.progress.handled(topic, partition, done);
          })
          .catch((error: unknown) => void (failure ??= error))
          .finally(() => {
            this.slots.release();
            running.delete(task);
          });
        running.add(task);
        await heartbeat();
      }
    } finally {
      await Promise.all(running);
    }
    return failure;
  }

  private async handleOne(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const item: WorkItem = {
      topic,
      partition,
      offset: message.offset,
      value: message.value,
      ...(message.key && { key: message.key.toString('utf8') }),
    };
    const outputs = await this.options.handle(item);
    await this.sender.send(outputs);
  }
}

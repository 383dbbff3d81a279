import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type RetryOptions,
  type SASLOptions,
} from 'kafkajs';

import { deferred, exponentialDelayMs, withDeadline } from '@ml-run/async';
import type {
  BusEvent,
  EventBus,
  EventHandler,
  SubscribeOptions,
  Unsubscribe,
} from '@ml-run/event-bus';

import { KafkaBusError, KafkaBusErrorCode } from './kafka-bus.errors';
import { isRetriable, messageOf, RETRY_DELAY } from './kafka-errors';
import { encodeEvent } from './kafka-event-codec';
import { KafkaEventConsumer } from './kafka-event-consumer';
import { nestLogCreator } from './kafka-log-creator';
import { KafkaPublisher } from './kafka-publisher';
import { ensureTopics, newGroupPositions } from './kafka-topics';
import { Subscriptions } from './subscriptions';

export type KafkaEventBusOptions = {
  /** Bootstrap brokers as host:port. */
  brokers: string[];
  clientId: string;
  /** Consumer group: one per instance, see KafkaEventBus. */
  groupId: string;
  /** Topics this instance consumes (subscribe() to another throws); empty: publish only. */
  topics: readonly string[];
  /** How long publish() keeps trying before it rejects; default 30 000. */
  publishTimeoutMs?: number;
  /** How long start() may take to reach Kafka and join the group; default 30 000. */
  connectTimeoutMs?: number;
  /** Partitions of topics this bus creates; default 1, which keeps all events in order. */
  numPartitions?: number;
  /** The platform's credentials (SASL_PLAINTEXT); none: an anonymous client. */
  sasl?: SASLOptions;
};

type Settings = Required<Omit<KafkaEventBusOptions, 'sasl'>> & { sasl?: SASLOptions };

// kafkajs applies its retry settings at nested levels (connect, then each request), and an
// unbounded retrier keeps reconnecting after disconnect(): few, short retries keep one
// attempt short, and our own loops retry until their deadlines. Always explicit, since
// kafkajs picks other defaults when NODE_ENV=test.
const KAFKAJS_RETRY: RetryOptions = {
  initialRetryTime: 200,
  maxRetryTime: 2000,
  retries: 3,
  factor: 0.2,
  multiplier: 2,
};

/**
 * The cluster-mode event bus. Every instance of a service must see every event (each
 * router keeps its own routes, each validator relays revocations to its wrappers), so
 * Kafka is used for broadcast: give each instance its own groupId, e.g.
 * perInstanceGroupId('router') = `ml-run.router.<host>-<pid>`; instances sharing a group
 * would split the events between them. A new group starts at the latest offset (no
 * replay); subscribers hear onGap whenever events may have been missed. Idle per-instance
 * groups expire on the broker after offsets.retention.minutes (7 days by default).
 */
export class KafkaEventBus implements EventBus {
  private readonly logger = new Logger(KafkaEventBus.name);
  private readonly settings: Settings;
  private readonly admin: Admin;
  private readonly subscriptions: Subscriptions;
  private readonly publisher: KafkaPublisher;
  private readonly consumer: KafkaEventConsumer | undefined;
  private state: 'new' | 'starting' | 'started' | 'closed' = 'new';
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private readonly closed = deferred();
  private readonly progress = { stage: 'connecting', lastError: '' };

  constructor(options: KafkaEventBusOptions) {
    this.settings = settingsOf(options);
    const { clientId, brokers, groupId, topics, numPartitions, sasl } = this.settings;
    const kafka = new Kafka({
      clientId,
      brokers,
      // A copy: kafkajs caches an authenticationProvider, holding the password, on the
      // object it is given, and a caller's later copy of it would carry that along.
      ...(sasl && { sasl: { ...sasl } }),
      connectionTimeout: 3000,
      retry: KAFKAJS_RETRY,
      logLevel: logLevel.WARN,
      logCreator: nestLogCreator(this.logger),
    });
    this.admin = kafka.admin({ retry: KAFKAJS_RETRY });
    this.subscriptions = new Subscriptions(topics, this.logger);
    this.publisher = new KafkaPublisher({
      createProducer: () => createProducer(kafka),
      ensureTopic: (topic) => ensureTopics(this.admin, [topic], numPartitions),
      publishTimeoutMs: this.settings.publishTimeoutMs,
      logger: this.logger,
    });
    const createConsumer = () =>
      kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 1000,
        // After a broker restart the group still lists our pre-restart member, and the
        // rejoin waits for it to time out: 10 s instead of kafkajs's 30 s (the broker's
        // minimum is 6 s). Handlers are quick, so a rebalance need not wait 60 s either.
        sessionTimeout: 10_000,
        rebalanceTimeout: 20_000,
        heartbeatInterval: 3000,
        retry: { ...KAFKAJS_RETRY, restartOnFailure: async () => !this.isClosed() },
      });
    const { subscriptions, logger } = this;
    this.consumer = topics.length
      ? new KafkaEventConsumer({ createConsumer, groupId, topics, subscriptions, logger })
      : undefined;
  }

  /** Creates the topics, connects, and joins the consumer group; call once. */
  async start(): Promise<void> {
    if (this.isClosed()) throw closedError();
    if (this.state !== 'new') throw new Error('KafkaEventBus.start() may be called only once');
    this.state = 'starting';
    const { brokers, groupId, topics, connectTimeoutMs } = this.settings;
    this.starting = this.connect(Date.now() + connectTimeoutMs);
    try {
      await withDeadline(this.starting, connectTimeoutMs, () => this.unreachable());
    } catch (error) {
      void this.close();
      throw error;
    }
    // close() during start() ends the wait for the group without an error.
    if (this.isClosed()) throw closedError();
    this.state = 'started';
    this.logger.log({ brokers, groupId, topics }, 'kafka event bus started');
  }

  async publish<E extends BusEvent>(topic: string, event: E): Promise<void> {
    if (this.isClosed()) throw closedError();
    if (this.state !== 'started') {
      throw new KafkaBusError(KafkaBusErrorCode.NotStarted, 'call start() before publish()');
    }
    await this.publisher.publish(topic, encodeEvent(event));
  }

  subscribe<E extends BusEvent>(
    topic: string,
    handler: EventHandler<E>,
    options?: SubscribeOptions,
  ): Unsubscribe {
    return this.subscriptions.add(topic, handler, options);
  }

  /** Stops consuming and disconnects; the send in progress may finish. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.state = 'closed';
    this.closed.resolve();
    await this.starting?.catch(() => undefined);
    const results = await Promise.allSettled([this.publisher.close(), this.consumer?.close()]);
    results.push(...(await Promise.allSettled([this.admin.disconnect()])));
    for (const result of results) {
      if (result.status === 'rejected') {
        this.logger.warn({ error: messageOf(result.reason) }, 'kafka client did not close cleanly');
      }
    }
    this.logger.log({ groupId: this.settings.groupId }, 'kafka event bus closed');
  }

  private async connect(deadline: number): Promise<void> {
    const { groupId, topics, numPartitions } = this.settings;
    await this.untilConnected(deadline, async () => {
      this.progress.stage = 'connecting';
      await this.admin.connect();
      this.progress.stage = 'creating topics';
      await ensureTopics(this.admin, topics, numPartitions);
      this.publisher.markEnsured(topics);
      this.progress.stage = 'connecting the producer';
      await this.publisher.connect();
      if (!this.consumer) return;
      this.progress.stage = 'reading the group offsets';
      const positions = await newGroupPositions(this.admin, groupId, topics);
      this.progress.stage = 'starting the consumer';
      await this.consumer.start(positions);
    });
    if (!this.consumer) return;
    this.progress.stage = `joining consumer group ${groupId}`;
    await Promise.race([this.consumer.joined, this.closed.promise]);
  }

  // A broker may still be starting: try again until the deadline, or until close().
  private async untilConnected(deadline: number, attempt: () => Promise<void>): Promise<void> {
    for (let n = 1; ; n++) {
      if (this.isClosed()) throw closedError();
      try {
        return await attempt();
      } catch (error) {
        this.progress.lastError = messageOf(error);
        if (!isRetriable(error)) throw this.refused(error);
        if (Date.now() >= deadline) throw error;
        const delayMs = Math.min(exponentialDelayMs(n - 1, RETRY_DELAY), deadline - Date.now());
        await sleep(Math.max(0, delayMs));
      }
    }
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private unreachable(): KafkaBusError {
    const { brokers, connectTimeoutMs } = this.settings;
    const { stage, lastError } = this.progress;
    const last = lastError ? `; last error: ${lastError}` : '';
    return new KafkaBusError(
      KafkaBusErrorCode.Unreachable,
      `Kafka unreachable at ${brokers.join(',')}: not ready within ${connectTimeoutMs} ms (${stage}${last})`,
    );
  }

  private refused(error: unknown): KafkaBusError {
    const { brokers } = this.settings;
    return new KafkaBusError(
      KafkaBusErrorCode.Unreachable,
      `Kafka at ${brokers.join(',')} refused start() while ${this.progress.stage}: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

function createProducer(kafka: Kafka) {
  return kafka.producer({
    // Idempotence needs acks=all (publish sends acks -1) and one request in flight.
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: KAFKAJS_RETRY,
  });
}

function settingsOf(options: KafkaEventBusOptions): Settings {
  const topics = [...new Set(options.topics)];
  if (options.brokers.length === 0) throw new Error('KafkaEventBus needs at least one broker');
  if (topics.length > 0 && options.groupId.trim() === '') {
    throw new Error('KafkaEventBus needs a groupId to consume');
  }
  return {
    brokers: options.brokers,
    clientId: options.clientId,
    groupId: options.groupId,
    topics,
    publishTimeoutMs: options.publishTimeoutMs ?? 30_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
    numPartitions: options.numPartitions ?? 1,
    sasl: options.sasl,
  };
}

function closedError(): KafkaBusError {
  return new KafkaBusError(KafkaBusErrorCode.Closed, 'the event bus is closed');
}

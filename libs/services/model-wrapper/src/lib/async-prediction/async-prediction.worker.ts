import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Message } from 'kafkajs';

import { exponentialDelayMs, type ExponentialDelay } from '@ml-run/async';
import {
  decodeRequest,
  KafkaWorkConsumer,
  outcomeMessageOf,
  type KafkaWorkConsumerOptions,
  type TopicMessage,
  type WorkConsumerStats,
  type WorkItem,
} from '@ml-run/kafka-bus';
import {
  predictionGroupOf,
  predictionOutcomeTopicOf,
  predictionRequestTopicOf,
  type PredictionOutcome,
  type PredictionRequest,
} from '@ml-run/prediction-contract';

import { ModelLifecycle } from '../initialization/model-lifecycle.service';
import { ModelState } from '../initialization/model-state';
import { LOADED_MODEL, MODEL_RUNTIME, type LoadedModel } from '../loaded-model';
import {
  mapWrapperError,
  PredictionError,
  PredictionErrorCode,
} from '../prediction/prediction.errors';
import type { ModelRuntime } from '../runtime/model-runtime.port';
import {
  ASYNC_PREDICTION_SETTINGS,
  type AsyncPredictionSettings,
} from './async-prediction.settings';

/** Requests answered since start, by outcome (dropped: not a request of this model). */
export type OutcomeTally = { succeeded: number; failed: number; dropped: number };

const START_RETRY: ExponentialDelay = { initialMs: 1000, maxMs: 30_000 };

/** Header of a stream record whose prediction failed (its value is then the error as JSON). */
export const STREAM_ERROR_HEADER = 'ml-run-error';

/**
 * The replica's Kafka side: once the model is READY it answers its model's request topic
 * (as the model's group, with the model's own principal) and, when set, scores the stream
 * --from into --to. Predictions go through the same runtime as POST /v1/predict; outcomes
 * are published before offsets are committed (at-least-once, keyed by prediction id).
 * Requests on the topic were authorized by a router at acceptance: only the platform's
 * principal may write it.
 */
@Injectable()
export class AsyncPredictionWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AsyncPredictionWorker.name);
  private readonly consumers: KafkaWorkConsumer[] = [];
  private starting: Promise<void> | undefined;
  private readonly stopped = new AbortController();
  private readonly tally: OutcomeTally = { succeeded: 0, failed: 0, dropped: 0 };

  constructor(
    @Inject(ASYNC_PREDICTION_SETTINGS) private readonly settings: AsyncPredictionSettings,
    @Inject(LOADED_MODEL) private readonly model: LoadedModel,
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    private readonly lifecycle: ModelLifecycle,
  ) {}

  /** In flight and lag over both consumers; outcomes published since start. */
  stats(): WorkConsumerStats & { outcomes: Readonly<OutcomeTally> } {
    const stats = { inFlight: 0, lag: 0 };
    for (const consumer of this.consumers) {
      const { inFlight, lag } = consumer.stats();
      stats.inFlight += inFlight;
      stats.lag += lag;
    }
    return { ...stats, outcomes: this.tally };
  }

  onApplicationBootstrap(): void {
    this.starting = this.lifecycle.settled().then(() => this.startAll());
  }

  // Before the runtime stops (beforeApplicationShutdown): what is in flight finishes and
  // its offsets are committed; the rest is left to the other replicas.
  async onModuleDestroy(): Promise<void> {
    this.stopped.abort();
    await this.starting;
    await Promise.all(this.consumers.map((consumer) => consumer.close()));
  }

  private async startAll(): Promise<void> {
    if (this.lifecycle.state !== ModelState.Ready) return;
    for (const options of this.consumerOptions()) await this.startUntilStopped(options);
  }

  // Kafka away, or the model's topics not there yet: the synchronous path serves meanwhile,
  // and the consumer is tried again (1 s, doubling to 30 s) until it starts or we stop.
  private async startUntilStopped(options: KafkaWorkConsumerOptions): Promise<void> {
    for (let failures = 0; !this.stopped.signal.aborted; failures++) {
      const consumer = new KafkaWorkConsumer(options);
      try {
        await consumer.start();
        this.consumers.push(consumer);
        this.logger.log({ groupId: options.groupId, topics: options.topics }, 'consuming');
        return;
      } catch (error) {
        await consumer.close().catch(() => undefined);
        const delayMs = exponentialDelayMs(failures, START_RETRY);
        this.logger.warn(
          { groupId: options.groupId, delayMs, error: messageOf(error) },
          'kafka consumer not started; retrying',
        );
        await sleep(delayMs, undefined, { signal: this.stopped.signal }).catch(() => undefined);
      }
    }
  }

  // The model's requests, as the model's group; and the stream, in a group named after its
  // input topic, inside the model's namespace (its principal may create both topics).
  private consumerOptions(): KafkaWorkConsumerOptions[] {
    const name = this.model.manifest.name;
    const { brokers, sasl, maxInFlight, commitIntervalMs, stream } = this.settings;
    const common = {
      brokers,
      sasl,
      clientId: `ml-run.model.${name}`,
      maxInFlight,
      commitIntervalMs,
    };
    const requests: KafkaWorkConsumerOptions = {
      ...common,
      groupId: predictionGroupOf(name),
      topics: [predictionRequestTopicOf(name)],
      handle: (item) => this.answer(item),
    };
    if (!stream) return [requests];
    const scoring: KafkaWorkConsumerOptions = {
      ...common,
      groupId: stream.from,
      topics: [stream.from],
      createTopics: [stream.from, stream.to],
      handle: (item) => this.score(item, stream.to),
    };
    return [requests, scoring];
  }

  private async answer(item: WorkItem): Promise<TopicMessage[]> {
    this.ensureReady();
    const name = this.model.manifest.name;
    const request = decodeRequest(item.value);
    if (!request || request.model !== name || request.id !== item.key) {
      this.tally.dropped++;
      this.logger.warn(
        { topic: item.topic, offset: item.offset },
        'request dropped: not a prediction request of this model',
      );
      return [];
    }
    const outcome = await this.outcomeOf(request);
    this.tally[outcome.status]++;
    return [{ topic: predictionOutcomeTopicOf(name), message: outcomeMessageOf(outcome) }];
  }

  private async outcomeOf(request: PredictionRequest): Promise<PredictionOutcome> {
    const base = { id: request.id, model: request.model, version: this.model.version };
    try {
      const output = await this.runtime.predict(request.input);
      return { ...base, status: 'succeeded', output, completedAt: new Date().toISOString() };
    } catch (error) {
      const failure = errorOf(error);
      this.logger.warn(
        { id: request.id, code: failure.code, error: messageOf(error) },
        'asynchronous prediction failed',
      );
      return { ...base, status: 'failed', error: failure, completedAt: new Date().toISOString() };
    }
  }

  // Same key as the input record, so a keyed stream keeps its partitioning downstream.
  private async score(item: WorkItem, to: string): Promise<TopicMessage[]> {
    this.ensureReady();
    const input = item.value?.toString('utf8') ?? '';
    const key = item.key ?? null;
    try {
      const message: Message = { key, value: await this.runtime.predict(input) };
      return [{ topic: to, message }];
    } catch (error) {
      const failure = errorOf(error);
      const message: Message = {
        key,
        value: JSON.stringify({ error: failure }),
        headers: { [STREAM_ERROR_HEADER]: failure.code },
      };
      return [{ topic: to, message }];
    }
  }

  // A replica that is stopping does not answer: thrown, the message is not committed and
  // another replica takes it.
  private ensureReady(): void {
    if (this.lifecycle.state !== ModelState.Ready) {
      throw new PredictionError(PredictionErrorCode.ModelNotReady, 'the replica is stopping');
    }
  }
}

// As POST /v1/predict would have answered it; an unexpected error's text stays in the log.
function errorOf(error: unknown): { code: string; message: string } {
  const reply = mapWrapperError(error);
  if (reply) return { code: reply.code, message: reply.message };
  return { code: 'INTERNAL_ERROR', message: 'internal error (see the replica log)' };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

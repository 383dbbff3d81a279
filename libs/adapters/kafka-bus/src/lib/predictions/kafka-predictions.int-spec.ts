import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';

import { until } from '@ml-run/async/testing';
import {
  predictionGroupOf,
  predictionOutcomeTopicOf,
  predictionRequestTopicOf,
  type PredictionOutcome,
  type PredictionRequest,
} from '@ml-run/prediction-contract';
import { realKafka } from '@ml-run/process-testing';

import { KafkaPredictionOutcomeFeed } from './kafka-prediction-outcome-feed';
import { KafkaPredictionQueue } from './kafka-prediction-queue';
import { KafkaWorkConsumer, type WorkHandler } from './kafka-work-consumer';
import { decodeRequest, outcomeMessageOf } from './prediction-codec';

// Needs the SCRAM broker of tools/services/kafka (the platform's principal). Every test
// uses its own model name, hence its own topics and groups.
const { brokers, sasl } = realKafka();
const RUN = randomUUID().slice(0, 8);
const connection = { brokers, clientId: 'kafka-predictions-int-spec', ...(sasl && { sasl }) };

function requestOf(model: string, n: number): PredictionRequest {
  return {
    id: `${RUN}-${model}-${n}`,
    model,
    input: String(n),
    acceptedAt: new Date().toISOString(),
  };
}

// A replica's job in miniature: answer each request with its input doubled.
function doubling(model: string, seen: string[]): WorkHandler {
  return async (item) => {
    const request = decodeRequest(item.value);
    if (!request) return [];
    seen.push(request.id);
    const outcome: PredictionOutcome = {
      id: request.id,
      model,
      version: '1.0.0',
      status: 'succeeded',
      output: String(Number(request.input) * 2),
      completedAt: new Date().toISOString(),
    };
    return [{ topic: predictionOutcomeTopicOf(model), message: outcomeMessageOf(outcome) }];
  };
}

describe('asynchronous predictions on Kafka', () => {
  const closers: (() => Promise<void>)[] = [];
  const outcomes = new Map<string, PredictionOutcome[]>();
  let queue: KafkaPredictionQueue;

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
    queue = new KafkaPredictionQueue({ ...connection, numPartitions: 3 });
    closers.push(() => queue.close());
    await queue.enqueue(requestOf(`m-${RUN}-a`, -1));
    const feed = new KafkaPredictionOutcomeFeed({
      ...connection,
      groupId: `ml-run.test.outcomes.${RUN}`,
      topicRefreshMs: 1000,
    });
    closers.push(() => feed.close());
    await feed.start(async (outcome) => {
      outcomes.set(outcome.id, [...(outcomes.get(outcome.id) ?? []), outcome]);
    });
  }, 60_000);
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    jest.restoreAllMocks();
  });

  async function replica(
    model: string,
    seen: string[],
    handle = doubling(model, seen),
    maxInFlight = 8,
  ) {
    const sut = new KafkaWorkConsumer({
      ...connection,
      groupId: predictionGroupOf(model),
      topics: [predictionRequestTopicOf(model)],
      maxInFlight,
      handle,
    });
    closers.push(() => sut.close());
    await sut.start();
    return sut;
  }

  it('answers every request once through two replicas of one model', async () => {
    const model = `m-${RUN}-a`;
    const seen: string[] = [];
    await Promise.all([replica(model, seen), replica(model, seen)]);
    const ids = await Promise.all(
      Array.from({ length: 300 }, async (_, n) => {
        const request = requestOf(model, n);
        await queue.enqueue(request);
        return request.id;
      }),
    );
    await until(() => ids.every((id) => outcomes.has(id)), 60_000);
    expect(outcomes.get(ids[7] ?? '')?.[0]?.output).toBe('14');
  }, 90_000);

  it('picks up the outcome topic of a model deployed after the feed started', async () => {
    const model = `m-${RUN}-late`;
    await replicaAfterQueue(model);
    const request = requestOf(model, 21);
    await queue.enqueue(request);
    await until(() => outcomes.has(request.id), 30_000);
    expect(outcomes.get(request.id)?.[0]?.output).toBe('42');
  }, 60_000);

  it('waits at start for its topics, created by the first request', async () => {
    const model = `m-${RUN}-early`;
    const starting = replica(model, []);
    const request = requestOf(model, 5);
    await queue.enqueue(request);
    await starting;
    await until(() => outcomes.has(request.id), 30_000);
    expect(outcomes.get(request.id)?.[0]?.output).toBe('10');
  }, 60_000);

  it('handles again a request whose handler failed, so nothing is lost', async () => {
    const model = `m-${RUN}-retry`;
    const seen: string[] = [];
    const answer = doubling(model, seen);
    let failures = 0;
    await queue.enqueue(requestOf(model, 0));
    await replica(model, seen, async (item) => {
      if (failures++ === 0) throw new Error('crashed once');
      return answer(item);
    });
    const request = requestOf(model, 1);
    await queue.enqueue(request);
    await until(() => outcomes.has(request.id) && outcomes.has(requestOf(model, 0).id), 60_000);
    expect(failures).toBeGreaterThan(1);
  }, 90_000);

  it('holds no more than maxInFlight messages and reports the lag behind them', async () => {
    const model = `m-${RUN}-slow`;
    const seen: string[] = [];
    const answer = doubling(model, seen);
    await queue.enqueue(requestOf(model, 0));
    const release: (() => void)[] = [];
    const sut = await replica(
      model,
      seen,
      async (item) => {
        await new Promise<void>((resolve) => release.push(resolve));
        return answer(item);
      },
      2,
    );
    await Promise.all(Array.from({ length: 20 }, (_, n) => queue.enqueue(requestOf(model, n + 1))));
    await until(() => release.length === 2 && sut.stats().lag > 2, 30_000);
    await sleep(300);
    expect(release).toHaveLength(2);
    expect(sut.stats()).toEqual({ inFlight: 2, lag: expect.any(Number) });
    const drain = setInterval(() => release.splice(0).forEach((resolve) => resolve()), 20);
    await until(() => seen.length === 21, 30_000);
    clearInterval(drain);
    await until(() => sut.stats().lag === 0, 30_000);
  }, 90_000);

  it('keeps a replica whose model is slower than the session timeout in the group', async () => {
    const model = `m-${RUN}-slower`;
    const handled: string[] = [];
    const answer = doubling(model, []);
    const request = requestOf(model, 1);
    const slow: WorkHandler = async (item) => {
      handled.push(item.key ?? '');
      // Longer than the group's 10 s session: without heartbeats the group would evict
      // this member and hand the message to the other replica.
      if (item.key === request.id) await sleep(12_000);
      return answer(item);
    };
    // One partition: while its batch waits, that member's fetch loop has nothing else to
    // heartbeat from.
    const admin = new Kafka({
      brokers,
      ...(sasl && { sasl: { ...sasl } }),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [predictionRequestTopicOf(model), predictionOutcomeTopicOf(model)].map((topic) => ({
        topic,
        numPartitions: 1,
      })),
      waitForLeaders: true,
    });
    await admin.disconnect();
    await Promise.all([replica(model, [], slow, 1), replica(model, [], slow, 1)]);
    await queue.enqueue(request);
    await until(() => outcomes.has(request.id), 60_000, 100);
    expect(handled.filter((id) => id === request.id)).toHaveLength(1);
  }, 90_000);

  async function replicaAfterQueue(model: string) {
    // The queue creates the topics at the first request; the replica needs them to exist.
    await queue.enqueue(requestOf(model, 0));
    await replica(model, []);
  }
});

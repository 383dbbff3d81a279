// The wrapper's Kafka side against the real broker: a router's queue and outcome feed (the
// platform's principal) on one end, a replica with its model's own principal on the other.
// Needs the SCRAM broker of tools/services/kafka and python3.
import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';

import { until } from '@ml-run/async/testing';
import {
  KafkaModelPrincipals,
  KafkaPredictionOutcomeFeed,
  KafkaPredictionQueue,
} from '@ml-run/kafka-bus';
import { streamTopicPrefixOf, type PredictionOutcome } from '@ml-run/prediction-contract';
import { realKafka } from '@ml-run/process-testing';
import type { ServiceApp } from '@ml-run/server';
import { TEST_METRICS_TOKEN } from '@ml-run/server/testing';

import { FIXTURES, startTestWrapper } from '../../testing/start-test-wrapper';
import { STREAM_ERROR_HEADER } from './async-prediction.worker';

const { brokers, sasl: platform, admin } = realKafka();
const RUN = randomUUID().slice(0, 8);
const MODEL = `raises-${RUN}`;
const FROM = `${streamTopicPrefixOf(MODEL)}in`;
const TO = `${streamTopicPrefixOf(MODEL)}out`;

describe('asynchronous predictions through a replica (real Kafka)', () => {
  let modelDir: string;
  let sut: ServiceApp;
  let queue: KafkaPredictionQueue;
  let feed: KafkaPredictionOutcomeFeed;
  const outcomes = new Map<string, PredictionOutcome>();

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
    if (!platform || !admin) throw new Error('start Kafka with tools/services/kafka/up.sh');
    modelDir = await mkdtemp(path.join(os.tmpdir(), 'async-model-'));
    await cp(path.join(FIXTURES, 'python/predict-raises'), modelDir, { recursive: true });
    const manifest = path.join(modelDir, 'ml-run.yaml');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('predict-raises', MODEL));
    const principals = new KafkaModelPrincipals({
      brokers,
      clientId: 'builder',
      sasl: admin,
      modelSecret: `secret-${RUN}`,
      numPartitions: 2,
    });
    const access = await principals.provision(MODEL, randomBytes(16).toString('base64url'));
    await principals.close();
    queue = new KafkaPredictionQueue({
      brokers,
      clientId: 'router',
      sasl: platform,
      numPartitions: 2,
    });
    feed = new KafkaPredictionOutcomeFeed({
      brokers,
      clientId: 'router',
      sasl: platform,
      groupId: `ml-run.test.outcomes.${RUN}`,
      topicRefreshMs: 1000,
    });
    await feed.start(async (outcome) => void outcomes.set(outcome.id, outcome));
    const wrapper = await startTestWrapper(modelDir, {
      MLRUN_KAFKA_BROKERS: access.brokers,
      MLRUN_KAFKA_MODEL_USERNAME: access.username,
      MLRUN_KAFKA_MODEL_PASSWORD: access.password,
      MLRUN_STREAM_FROM: FROM,
      MLRUN_STREAM_TO: TO,
    });
    sut = wrapper.app;
    await wrapper.initialized;
  }, 90_000);
  afterAll(async () => {
    await sut?.close();
    await Promise.allSettled([queue?.close(), feed?.close()]);
    await rm(modelDir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  function request(id: string, input: string) {
    return { id, model: MODEL, input, acceptedAt: new Date().toISOString() };
  }

  it('answers requests from the model topic with the model’s outputs', async () => {
    const ids = Array.from({ length: 20 }, (_, n) => `${RUN}-ok-${n}`);
    await Promise.all(ids.map((id, n) => queue.enqueue(request(id, `input ${n}`))));
    await until(() => ids.every((id) => outcomes.has(id)), 60_000);
    expect(outcomes.get(ids[3] ?? '')).toMatchObject({
      model: MODEL,
      status: 'succeeded',
      output: 'input 3',
      version: expect.stringMatching(/^1\.0\.0/),
    });
  }, 90_000);

  it('publishes a failed outcome with the synchronous path’s error code', async () => {
    const id = `${RUN}-boom`;
    await queue.enqueue(request(id, 'boom'));
    await until(() => outcomes.has(id), 60_000);
    const sync = await sut.inject({ method: 'POST', url: '/v1/predict', payload: 'boom' });
    expect(outcomes.get(id)).toMatchObject({
      status: 'failed',
      error: { code: sync.json<{ code: string }>().code },
    });
  }, 90_000);

  it('shows the consumer lag and the messages in flight in /metrics', async () => {
    const res = await sut.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
    });
    expect(res.body).toMatch(/^mlrun_async_consumer_lag\{[^}]*\} \d+$/m);
    expect(res.body).toMatch(/^mlrun_async_in_flight\{[^}]*\} \d+$/m);
    expect(res.body).toMatch(/^mlrun_async_outcomes_total\{status="failed"[^}]*\} [1-9]/m);
  });

  it('scores the stream --from into --to under the same key', async () => {
    const kafka = new Kafka({
      brokers,
      ...(platform && { sasl: { ...platform } }),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: FROM,
      messages: [
        { key: 'k1', value: 'first' },
        { key: 'k2', value: 'boom' },
      ],
    });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `ml-run.test.stream.${RUN}` });
    const seen: { key: string; value: string; error?: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [TO], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const error = message.headers?.[STREAM_ERROR_HEADER];
        seen.push({
          key: String(message.key),
          value: String(message.value),
          ...(error && { error: String(error) }),
        });
      },
    });
    await until(() => seen.length >= 2, 60_000);
    await consumer.disconnect();
    // Two keys, two partitions maybe: no order between them.
    seen.sort((a, b) => a.key.localeCompare(b.key));
    expect(seen[0]).toEqual({ key: 'k1', value: 'first' });
    expect(seen[1]).toMatchObject({ key: 'k2', error: 'PREDICT_FAILED' });
  }, 90_000);
});

// Asynchronous predictions over the real Kafka with three built model-wrapper processes,
// one of them SIGKILLed while it holds uncommitted offsets. The test plays the routers:
// it accepts requests onto the model's request topic (idempotent producer, acks from all
// replicas, keyed by id, as KafkaPredictionQueue) and settles outcomes into a results
// store that keeps the first outcome per id (as the Ignite store's compare-and-set).
import { randomUUID } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';

import { untilValue } from '@ml-run/async/testing';
import {
  predictionGroupOf,
  predictionOutcomeTopicOf,
  predictionRequestTopicOf,
  type PredictionOutcome,
  type PredictionRequest,
} from '@ml-run/prediction-contract';
import { realKafka, REPO_ROOT } from '@ml-run/process-testing';

import { provisionModelPrincipal } from './support/model-principal';
import { startWrapper, waitUntilReady, type WrapperProcess } from './support/wrapper-process';

const RUN = randomUUID().slice(0, 8);
const MODEL = `echo-async-${RUN}`;
const REQUESTS = 10_000;
const PARTITIONS = 6;
const METRICS_TOKEN = `metrics-${RUN}-0123456789abcdef`;
const { brokers, sasl: platform } = realKafka();

/** The first outcome per id settles it; a later one is a redelivery, absorbed. */
class FirstOutcomeWins {
  private readonly settled = new Map<string, PredictionOutcome>();
  private readonly pending = new Set<string>();
  absorbed = 0;

  accept(id: string): void {
    this.pending.add(id);
  }

  settle(outcome: PredictionOutcome): void {
    if (this.settled.has(outcome.id)) this.absorbed++;
    else if (this.pending.delete(outcome.id)) this.settled.set(outcome.id, outcome);
  }

  get open(): number {
    return this.pending.size;
  }

  resultOf(id: string): PredictionOutcome | undefined {
    return this.settled.get(id);
  }
}

async function outcomesOf(wrapper: WrapperProcess): Promise<number> {
  const res = await fetch(`${wrapper.baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  }).catch(() => undefined);
  const text = res?.ok ? await res.text() : '';
  const line = /^mlrun_async_outcomes_total\{status="succeeded"[^}]*\} (\d+)/m.exec(text);
  return Number(line?.[1] ?? 0);
}

describe('asynchronous predictions over Kafka with a replica killed mid-stream', () => {
  const store = new FirstOutcomeWins();
  const wrappers: WrapperProcess[] = [];
  let modelDir: string;
  let kafka: Kafka;
  let producer: Producer;
  let outcomes: Consumer;
  // Per outcome partition: the next offset the test's consumer will read.
  const readUpTo = new Map<number, number>();

  beforeAll(async () => {
    if (!platform) throw new Error('start Kafka with tools/services/kafka/up.sh');
    modelDir = await mkdtemp(path.join(os.tmpdir(), 'async-e2e-'));
    // Sandboxed workers run as another uid: the bundle must be readable to it.
    await chmod(modelDir, 0o755);
    await cp(path.join(REPO_ROOT, 'examples/echo-node'), modelDir, { recursive: true });
    const manifest = path.join(modelDir, 'ml-run.yaml');
    await writeFile(
      manifest,
      (await readFile(manifest, 'utf8')).replace('name: echo', `name: ${MODEL}`),
    );
    const principal = await provisionModelPrincipal(MODEL, `model-secret-${RUN}`, PARTITIONS);
    const env = {
      MLRUN_KAFKA_BROKERS: brokers.join(','),
      MLRUN_KAFKA_MODEL_USERNAME: principal.username,
      MLRUN_KAFKA_MODEL_PASSWORD: principal.password,
      MLRUN_ASYNC_MAX_INFLIGHT: '32',
      MLRUN_METRICS_TOKEN: METRICS_TOKEN,
    };
    // The first replica commits once an hour: everything it answers stays uncommitted,
    // so its SIGKILL below always leaves offsets for the others to redeliver.
    wrappers.push(
      await startWrapper(modelDir, { ...env, MLRUN_ASYNC_COMMIT_INTERVAL_MS: '3600000' }),
    );
    wrappers.push(await startWrapper(modelDir, env), await startWrapper(modelDir, env));
    await Promise.all(wrappers.map((wrapper) => waitUntilReady(wrapper.baseUrl, 60_000)));
    kafka = new Kafka({
      brokers,
      sasl: { ...platform },
      clientId: 'e2e-router',
      logLevel: logLevel.NOTHING,
    });
    // Requests go out once all three replicas share the partitions.
    const admin = kafka.admin();
    await admin.connect();
    await untilValue(
      async () => (await admin.describeGroups([predictionGroupOf(MODEL)])).groups[0],
      (group) => group?.state === 'Stable' && group.members.length === 3,
      60_000,
      200,
    );
    await admin.disconnect();
    outcomes = kafka.consumer({ groupId: `ml-run.test.e2e-outcomes.${RUN}` });
    await outcomes.connect();
    await outcomes.subscribe({ topics: [predictionOutcomeTopicOf(MODEL)], fromBeginning: true });
    await outcomes.run({
      eachMessage: async ({ partition, message }) => {
        store.settle(JSON.parse(String(message.value)));
        readUpTo.set(partition, Number(message.offset) + 1);
      },
    });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 150_000);

  afterAll(async () => {
    await Promise.allSettled([producer?.disconnect(), outcomes?.disconnect()]);
    await Promise.allSettled(wrappers.map((wrapper) => wrapper.stop()));
    await rm(modelDir, { recursive: true, force: true });
  });

  // Every id may settle before the victim's partitions are taken over (it answered its share
  // before dying): wait until the group has committed every request, then until every
  // outcome published by then has been read, so all redeliveries are counted.
  async function untilRedeliveriesRead(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const request = predictionRequestTopicOf(MODEL);
      const ends = await admin.fetchTopicOffsets(request);
      await untilValue(
        () => admin.fetchOffsets({ groupId: predictionGroupOf(MODEL), topics: [request] }),
        ([committed]) =>
          ends.every(({ partition, high }) =>
            committed?.partitions.some((p) => p.partition === partition && p.offset === high),
          ),
        120_000,
        200,
      );
      const published = await admin.fetchTopicOffsets(predictionOutcomeTopicOf(MODEL));
      await untilValue(
        async () => readUpTo,
        (read) =>
          published.every(({ partition, high }) => (read.get(partition) ?? 0) >= Number(high)),
        60_000,
        100,
      );
    } finally {
      await admin.disconnect();
    }
  }

  it('loses no accepted request and shows each result once, though one replica was SIGKILLed', async () => {
    const started = performance.now();
    const requests: PredictionRequest[] = Array.from({ length: REQUESTS }, (_, n) => ({
      id: `${RUN}-${n}`,
      model: MODEL,
      input: `request ${n}`,
      acceptedAt: new Date().toISOString(),
    }));
    const accepting = (async () => {
      for (let at = 0; at < requests.length; at += 500) {
        const batch = requests.slice(at, at + 500);
        // Pending before queued, as a router's store is written before the enqueue.
        for (const { id } of batch) store.accept(id);
        await producer.send({
          topic: predictionRequestTopicOf(MODEL),
          acks: -1,
          messages: batch.map((request) => ({ key: request.id, value: JSON.stringify(request) })),
        });
      }
    })();
    const victim = wrappers[0] as WrapperProcess;
    // Killed once it has answered some: those answers' offsets are not committed.
    await untilValue(
      () => outcomesOf(victim),
      (answered) => answered >= 100,
      120_000,
      20,
    );
    victim.process.kill('SIGKILL');
    await accepting;
    await untilValue(
      async () => store.open,
      (open) => open === 0,
      150_000,
      100,
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    await untilRedeliveriesRead();

    const lost = requests.filter(({ id }) => !store.resultOf(id)).length;
    const wrong = requests.filter(
      ({ id, input }) => store.resultOf(id)?.output !== `echo: ${input}`,
    );
    // The requester's view: one settled record per id, whatever was redelivered.
    const views = new Set(requests.map(({ id }) => store.resultOf(id)?.id));
    process.stdout.write(
      `async e2e: ${REQUESTS} accepted, settled in ${seconds} s, lost ${lost}, duplicates ${REQUESTS - views.size}, redeliveries absorbed ${store.absorbed}\n`,
    );
    expect(lost).toBe(0);
    expect(wrong).toEqual([]);
    expect(views.size).toBe(REQUESTS);
    expect(store.absorbed).toBeGreaterThan(0);
    expect(await victim.exited).toBeNull(); // killed by the signal, not exited
  }, 200_000);
});

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';

import { until } from '@ml-run/async/testing';
import type { BusEvent } from '@ml-run/event-bus';
import { realKafka } from '@ml-run/process-testing';

import { KafkaBusError, KafkaBusErrorCode } from './kafka-bus.errors';
import { KafkaEventBus, type KafkaEventBusOptions } from './kafka-event-bus';

// Needs the broker of tools/services/kafka/up.sh. Topic and group names are unique per
// run, so runs never see each other's events.
// The platform's principal: the broker's ACLs let nobody else use ml-run.* topics.
const { brokers: BROKERS, sasl: SASL } = realKafka();
const RUN = randomUUID().slice(0, 8);
let sequence = 0;
const uniqueTopic = () => `ml-run.test.${RUN}.${++sequence}`;
const uniqueGroup = (name: string) => `ml-run.test.${name}.${RUN}-${++sequence}`;

type Revoked = BusEvent & { tokenHash: string; n: number };
const revoked = (n: number): Revoked => ({ type: 'token.revoked', tokenHash: `h${n}`, n });

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe(KafkaEventBus.name, () => {
  const buses: KafkaEventBus[] = [];

  function bus(options: Partial<KafkaEventBusOptions> & { topics: string[] }): KafkaEventBus {
    const created = new KafkaEventBus({
      brokers: BROKERS,
      sasl: SASL,
      clientId: 'kafka-bus-int-spec',
      groupId: uniqueGroup('bus'),
      ...options,
    });
    buses.push(created);
    return created;
  }

  beforeEach(() => {
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((created) => created.close()));
    jest.restoreAllMocks();
  });

  it('delivers an event to every instance (own group each) and to every handler of one', async () => {
    const topic = uniqueTopic();
    const first = bus({ topics: [topic] });
    const second = bus({ topics: [topic] });
    const received: string[] = [];
    first.subscribe(topic, (event: Revoked) => void received.push(`first-a:${event.n}`));
    first.subscribe(topic, (event: Revoked) => void received.push(`first-b:${event.n}`));
    second.subscribe(topic, (event: Revoked) => void received.push(`second:${event.n}`));
    await Promise.all([first.start(), second.start()]);

    await first.publish(topic, revoked(1));

    await until(() => received.length === 3, 15_000);
    expect(received.sort()).toEqual(['first-a:1', 'first-b:1', 'second:1']);
  });

  it('delivers 200 events in the order of the publish() calls', async () => {
    const topic = uniqueTopic();
    const publisher = bus({ topics: [] });
    const consumer = bus({ topics: [topic] });
    const received: number[] = [];
    consumer.subscribe(topic, (event: Revoked) => void received.push(event.n));
    await Promise.all([publisher.start(), consumer.start()]);

    const numbers = Array.from({ length: 200 }, (_, i) => i);
    await Promise.all(numbers.map((n) => publisher.publish(topic, revoked(n))));

    await until(() => received.length >= 200, 15_000);
    expect(received).toEqual(numbers);
  });

  it('stops delivering to a handler that unsubscribed', async () => {
    const topic = uniqueTopic();
    const sut = bus({ topics: [topic] });
    const kept: number[] = [];
    const dropped: number[] = [];
    sut.subscribe(topic, (event: Revoked) => void kept.push(event.n));
    const unsubscribe = sut.subscribe(topic, (event: Revoked) => void dropped.push(event.n));
    await sut.start();

    await sut.publish(topic, revoked(1));
    await until(() => kept.length === 1 && dropped.length === 1, 15_000);
    unsubscribe();
    await sut.publish(topic, revoked(2));
    await sut.publish(topic, revoked(3));

    await until(() => kept.length === 3, 15_000);
    expect(kept).toEqual([1, 2, 3]);
    expect(dropped).toEqual([1]);
  });

  it('skips messages that are not events and keeps delivering', async () => {
    const topic = uniqueTopic();
    const sut = bus({ topics: [topic] });
    const received: BusEvent[] = [];
    sut.subscribe(topic, (event) => void received.push(event));
    await sut.start();
    const raw = new Kafka({ brokers: BROKERS, sasl: SASL, logLevel: logLevel.NOTHING }).producer();
    await raw.connect();
    try {
      await raw.send({
        topic,
        messages: [{ value: '{not json' }, { value: '{"no":"type"}' }, { value: '[1]' }],
      });
    } finally {
      await raw.disconnect();
    }

    await sut.publish(topic, revoked(4));

    await until(() => received.length === 1, 15_000);
    expect(received).toEqual([revoked(4)]);
    const skipped = jest
      .mocked(Logger.prototype.warn)
      .mock.calls.filter(([, message]) => message === 'skipped a message that is not an event');
    expect(skipped).toHaveLength(3);
  });

  it('delivers every event published after start() to a new group (no skipped first events)', async () => {
    const topic = uniqueTopic();
    const publisher = bus({ topics: [] });
    await publisher.start();
    await publisher.publish(topic, revoked(0)); // before the consumer exists: not replayed
    const sut = bus({ topics: [topic] });
    const received: number[] = [];
    sut.subscribe(topic, (event: Revoked) => void received.push(event.n));
    await sut.start();

    await publisher.publish(topic, revoked(1));

    await until(() => received.length === 1, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual([1]);
  });

  it('fails start() within connectTimeoutMs, naming the brokers, when Kafka is unreachable', async () => {
    const broker = `127.0.0.1:${await unusedPort()}`;
    const sut = bus({ brokers: [broker], topics: [uniqueTopic()], connectTimeoutMs: 2000 });

    const startedAt = Date.now();
    const error = await sut.start().catch((e: unknown) => e);

    expect(Date.now() - startedAt).toBeLessThan(2500);
    expect(error).toBeInstanceOf(KafkaBusError);
    expect(error).toMatchObject({ code: KafkaBusErrorCode.Unreachable });
    expect((error as Error).message).toContain(`Kafka unreachable at ${broker}`);
  });
});

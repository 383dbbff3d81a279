import { Logger } from '@nestjs/common';
import {
  KafkaJSConnectionError,
  KafkaJSProtocolError,
  type Producer,
  type ProducerRecord,
} from 'kafkajs';

import { KafkaBusErrorCode } from './kafka-bus.errors';
import { KafkaPublisher } from './kafka-publisher';

type Send = (record: ProducerRecord) => Promise<void>;
type FakeProducer = { connect: jest.Mock; disconnect: jest.Mock; send: jest.Mock };

function fakeProducer(send: Send = async () => undefined): FakeProducer {
  return {
    connect: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    send: jest.fn(send),
  };
}

const refused = (type: string) =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, retriable: false }));
const down = () => new KafkaJSConnectionError('connect ECONNREFUSED 127.0.0.1:9092');
const message = (value: string) => ({ key: null, value });
const valuesSent = (producer: FakeProducer) =>
  producer.send.mock.calls.map(([record]: [ProducerRecord]) => record.messages[0]?.value);

describe(KafkaPublisher.name, () => {
  let producers: FakeProducer[];
  let ensureTopic: jest.Mock;

  async function publisher(publishTimeoutMs = 2000): Promise<KafkaPublisher> {
    const logger = new Logger('spec');
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const queue = [...producers];
    const sut = new KafkaPublisher({
      createProducer: () => queue.shift() as unknown as Producer,
      ensureTopic,
      publishTimeoutMs,
      logger,
    });
    await sut.connect();
    return sut;
  }

  beforeEach(() => {
    producers = [fakeProducer()];
    ensureTopic = jest.fn(async () => undefined);
  });

  it('sends with acks=all, ensuring each topic once', async () => {
    const sut = await publisher();
    await sut.publish('t', message('a'));
    await sut.publish('t', message('b'));
    expect(ensureTopic).toHaveBeenCalledTimes(1);
    expect(producers[0]?.send).toHaveBeenCalledWith({
      topic: 't',
      acks: -1,
      messages: [message('a')],
    });
  });

  it('does not ensure topics it was told exist', async () => {
    const sut = await publisher();
    sut.markEnsured(['t']);
    await sut.publish('t', message('a'));
    expect(ensureTopic).not.toHaveBeenCalled();
  });

  it('retries while Kafka is unreachable and resolves once it acknowledges', async () => {
    let calls = 0;
    producers = [
      fakeProducer(async () => {
        if (++calls < 3) throw down();
      }),
    ];
    const sut = await publisher();
    await expect(sut.publish('t', message('a'))).resolves.toBeUndefined();
    expect(producers[0]?.send).toHaveBeenCalledTimes(3);
  });

  it('rejects after publishTimeoutMs while Kafka stays unreachable, then stops trying', async () => {
    producers = [fakeProducer(async () => Promise.reject(down()))];
    const sut = await publisher(300);
    const startedAt = Date.now();
    await expect(sut.publish('t', message('a'))).rejects.toMatchObject({
      code: KafkaBusErrorCode.PublishTimeout,
      message: 'Kafka did not acknowledge the event on t within 300 ms',
    });
    // At the deadline, not after the retries would have run out: a loose bound, because
    // this machine is shared and a busy event loop delays timers.
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const attempts = producers[0]?.send.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(producers[0]?.send.mock.calls.length).toBe(attempts);
  });

  it('rejects at once when Kafka refuses the event for good', async () => {
    producers = [fakeProducer(async () => Promise.reject(refused('TOPIC_AUTHORIZATION_FAILED')))];
    const sut = await publisher();
    await expect(sut.publish('t', message('a'))).rejects.toMatchObject({
      code: KafkaBusErrorCode.PublishFailed,
      message: 'Kafka refused the event on t: TOPIC_AUTHORIZATION_FAILED',
    });
    expect(producers[0]?.send).toHaveBeenCalledTimes(1);
  });

  it('sends one event at a time, in publish order, also when one is retried', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let failures = 1;
    producers = [
      fakeProducer(async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        if (failures-- > 0) throw down();
      }),
    ];
    const sut = await publisher();
    await Promise.all(['a', 'b', 'c'].map((value) => sut.publish('t', message(value))));
    expect(valuesSent(producers[0] as FakeProducer)).toEqual(['a', 'a', 'b', 'c']);
    expect(maxInFlight).toBe(1);
  });

  it('starts a new producer when the broker no longer knows this one', async () => {
    const forgotten = fakeProducer(async () => Promise.reject(refused('UNKNOWN_PRODUCER_ID')));
    const fresh = fakeProducer();
    producers = [forgotten, fresh];
    const sut = await publisher();
    await expect(sut.publish('t', message('a'))).resolves.toBeUndefined();
    expect(forgotten.disconnect).toHaveBeenCalled();
    expect(fresh.connect).toHaveBeenCalled();
    expect(valuesSent(fresh)).toEqual(['a']);
  });

  it('lets the send in progress finish on close, and rejects queued events', async () => {
    producers = [fakeProducer(() => new Promise((resolve) => setTimeout(resolve, 50)))];
    const sut = await publisher();
    const first = sut.publish('t', message('a'));
    const second = sut.publish('t', message('b'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await sut.close();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toMatchObject({ code: KafkaBusErrorCode.Closed });
    expect(producers[0]?.disconnect).toHaveBeenCalled();
  });
});

import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { Consumer, EachMessagePayload, KafkaMessage } from 'kafkajs';

import { KafkaEventConsumer } from './kafka-event-consumer';
import { Subscriptions } from './subscriptions';

const TOPIC = 'ml-run.tokens';
const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };

// The parts of a kafkajs consumer KafkaEventConsumer uses, driven by the test.
class FakeConsumer {
  readonly events = EVENTS;
  readonly connect = jest.fn(async () => undefined);
  readonly subscribe = jest.fn(async () => undefined);
  readonly disconnect = jest.fn(async () => undefined);
  readonly seek = jest.fn();
  private readonly emitter = new EventEmitter();
  private eachMessage: ((payload: EachMessagePayload) => Promise<void>) | undefined;

  on(event: string, listener: (event: unknown) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  async run(options: { eachMessage: (payload: EachMessagePayload) => Promise<void> }) {
    this.eachMessage = options.eachMessage;
  }

  join(): void {
    this.emitter.emit(EVENTS.GROUP_JOIN, { payload: { groupId: 'g' } });
  }

  crash(restart: boolean): void {
    const payload = { error: new Error('connect ECONNREFUSED'), groupId: 'g', restart };
    this.emitter.emit(EVENTS.CRASH, { payload });
  }

  async receive(value: string | null): Promise<void> {
    const message = { value: value === null ? null : Buffer.from(value), offset: '7' };
    await this.eachMessage?.({
      topic: TOPIC,
      partition: 0,
      message: message as KafkaMessage,
      heartbeat: async () => undefined,
      pause: () => () => undefined,
    });
  }
}

describe(KafkaEventConsumer.name, () => {
  let consumers: FakeConsumer[];
  let logger: Logger;
  let received: unknown[];
  let gaps: number;
  let failingConnects: number;
  let sut: KafkaEventConsumer;

  const current = () => consumers[consumers.length - 1] as FakeConsumer;

  beforeEach(() => {
    consumers = [];
    received = [];
    gaps = 0;
    failingConnects = 0;
    logger = new Logger('spec');
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(logger, level).mockImplementation(() => undefined);
    }
    const subscriptions = new Subscriptions([TOPIC], logger);
    subscriptions.add(TOPIC, (event) => void received.push(event), { onGap: () => void gaps++ });
    sut = new KafkaEventConsumer({
      createConsumer: () => {
        const created = new FakeConsumer();
        if (failingConnects-- > 0) created.connect.mockRejectedValue(new Error('ECONNREFUSED'));
        consumers.push(created);
        return created as unknown as Consumer;
      },
      groupId: 'g',
      topics: [TOPIC],
      subscriptions,
      logger,
    });
  });
  afterEach(() => jest.useRealTimers());

  it('subscribes to its topics from the latest offset and seeks a new group on its first join only', async () => {
    const position = { topic: TOPIC, partition: 0, offset: '5' };
    await sut.start([position]);
    expect(current().subscribe).toHaveBeenCalledWith({ topics: [TOPIC], fromBeginning: false });

    current().join();
    current().join();

    await expect(sut.joined).resolves.toBeUndefined();
    expect(current().seek.mock.calls).toEqual([[position]]);
  });

  it('reports a gap on each rejoin and on a crash, not on the first join', async () => {
    await sut.start([]);
    current().join();
    expect(gaps).toBe(0);
    current().crash(true);
    expect(gaps).toBe(1);
    current().crash(true);
    expect(gaps).toBe(1);
    current().join();
    expect(gaps).toBe(2);
  });

  it('delivers events and skips messages that are not events', async () => {
    await sut.start([]);
    await current().receive('{"type":"token.revoked","tokenHash":"h"}');
    await current().receive('{broken');
    await current().receive(null);
    expect(received).toEqual([{ type: 'token.revoked', tokenHash: 'h' }]);
    expect(logger.warn).toHaveBeenCalledWith(
      { topic: TOPIC, partition: 0, offset: '7', reason: 'value is not JSON' },
      'skipped a message that is not an event',
    );
  });

  it('leaves restarts after retriable crashes to kafkajs', async () => {
    jest.useFakeTimers();
    await sut.start([]);
    current().crash(true);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(consumers).toHaveLength(1);
  });

  it('starts a new consumer when kafkajs gives up, until one runs', async () => {
    jest.useFakeTimers();
    await sut.start([]);
    current().join();
    current().crash(false);
    await jest.advanceTimersByTimeAsync(1000);
    expect(consumers).toHaveLength(2);
    expect(consumers[0]?.disconnect).toHaveBeenCalled();

    current().crash(false);
    await jest.advanceTimersByTimeAsync(2000);
    expect(consumers).toHaveLength(3);
    expect(current().connect).toHaveBeenCalled();
  });

  it('keeps trying when a restart fails, and stops once closed', async () => {
    jest.useFakeTimers();
    await sut.start([]);
    failingConnects = 1;
    current().crash(false);
    await jest.advanceTimersByTimeAsync(1000);
    expect(consumers).toHaveLength(2);
    expect(consumers[1]?.disconnect).toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(2000);
    expect(consumers).toHaveLength(3);
    expect(consumers[2]?.subscribe).toHaveBeenCalled();

    current().crash(false);
    await sut.close();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(consumers).toHaveLength(3);
    expect(current().disconnect).toHaveBeenCalled();
  });
});

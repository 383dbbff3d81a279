import { Logger } from '@nestjs/common';

import { KafkaBusErrorCode } from './kafka-bus.errors';
import { KafkaEventBus, type KafkaEventBusOptions } from './kafka-event-bus';

// What needs no broker; kafka-event-bus.int-spec.ts covers the rest against a real one.
const OPTIONS: KafkaEventBusOptions = {
  brokers: ['127.0.0.1:9092'],
  clientId: 'spec',
  groupId: 'ml-run.spec.host-1',
  topics: ['ml-run.tokens'],
};

describe(KafkaEventBus.name, () => {
  beforeEach(() => {
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
  });
  afterEach(() => jest.restoreAllMocks());

  it('refuses to subscribe to a topic it does not consume', () => {
    const sut = new KafkaEventBus(OPTIONS);
    expect(() => sut.subscribe('ml-run.models', jest.fn())).toThrow(
      'cannot subscribe to "ml-run.models": this bus consumes only [ml-run.tokens]',
    );
  });

  it('accepts subscriptions to its topics before start()', () => {
    const sut = new KafkaEventBus(OPTIONS);
    expect(sut.subscribe('ml-run.tokens', jest.fn())).toEqual(expect.any(Function));
  });

  it('rejects publish() before start()', async () => {
    const sut = new KafkaEventBus(OPTIONS);
    await expect(sut.publish('ml-run.tokens', { type: 'token.revoked' })).rejects.toMatchObject({
      code: KafkaBusErrorCode.NotStarted,
    });
  });

  it('closes idempotently, also when never started, and refuses to start or publish after', async () => {
    const sut = new KafkaEventBus(OPTIONS);
    await Promise.all([sut.close(), sut.close()]);
    await expect(sut.publish('ml-run.tokens', { type: 'x' })).rejects.toMatchObject({
      code: KafkaBusErrorCode.Closed,
    });
    await expect(sut.start()).rejects.toMatchObject({ code: KafkaBusErrorCode.Closed });
  });

  it.each([
    [{ brokers: [] }, 'at least one broker'],
    [{ groupId: ' ' }, 'needs a groupId to consume'],
  ])('refuses options %j', (override, message) => {
    expect(() => new KafkaEventBus({ ...OPTIONS, ...override })).toThrow(message);
  });

  it('needs no groupId to publish only', () => {
    expect(() => new KafkaEventBus({ ...OPTIONS, groupId: '', topics: [] })).not.toThrow();
  });
});

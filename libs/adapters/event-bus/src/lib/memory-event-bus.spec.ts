import { Logger } from '@nestjs/common';

import type { BusEvent } from './event-bus.port';
import { MemoryEventBus } from './memory-event-bus';

const EVENT: BusEvent & { n: number } = { type: 'token.revoked', n: 1 };

describe(MemoryEventBus.name, () => {
  let sut: MemoryEventBus;

  beforeEach(() => {
    sut = new MemoryEventBus();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('delivers an event to every subscriber of its topic, and only to them', async () => {
    const first = jest.fn();
    const second = jest.fn();
    const other = jest.fn();
    sut.subscribe('tokens', first);
    sut.subscribe('tokens', second);
    sut.subscribe('models', other);
    await sut.publish('tokens', EVENT);
    expect(first).toHaveBeenCalledWith(EVENT);
    expect(second).toHaveBeenCalledWith(EVENT);
    expect(other).not.toHaveBeenCalled();
  });

  it('publishes to a topic nobody subscribed without error', async () => {
    await expect(sut.publish('nobody', EVENT)).resolves.toBeUndefined();
  });

  it('stops delivering to a subscriber that unsubscribed', async () => {
    const kept = jest.fn();
    const dropped = jest.fn();
    sut.subscribe('tokens', kept);
    const unsubscribe = sut.subscribe('tokens', dropped);
    unsubscribe();
    await sut.publish('tokens', EVENT);
    expect(kept).toHaveBeenCalledTimes(1);
    expect(dropped).not.toHaveBeenCalled();
  });

  it('keeps delivering to others when one handler throws or rejects', async () => {
    const received: string[] = [];
    sut.subscribe('tokens', () => {
      throw new Error('sync failure');
    });
    sut.subscribe('tokens', async () => {
      throw new Error('async failure');
    });
    sut.subscribe('tokens', () => void received.push('last'));
    await expect(sut.publish('tokens', EVENT)).resolves.toBeUndefined();
    expect(received).toEqual(['last']);
    expect(Logger.prototype.error).toHaveBeenCalledTimes(2);
  });

  it('has delivered to every handler, async ones included, when publish resolves', async () => {
    const received: number[] = [];
    sut.subscribe('tokens', async (event: typeof EVENT) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      received.push(event.n);
    });
    await sut.publish('tokens', EVENT);
    expect(received).toEqual([1]);
  });
});

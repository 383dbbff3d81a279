import { Logger } from '@nestjs/common';

import { KafkaBusErrorCode } from './kafka-bus.errors';
import { Subscriptions } from './subscriptions';

const EVENT = { type: 'token.revoked', tokenHash: 'h1' };

describe(Subscriptions.name, () => {
  let logger: Logger;
  let sut: Subscriptions;

  beforeEach(() => {
    logger = new Logger('spec');
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    sut = new Subscriptions(['ml-run.tokens', 'ml-run.models'], logger);
  });

  it('refuses a topic the bus does not consume, saying which ones it does', () => {
    expect(() => sut.add('ml-run.other', jest.fn())).toThrow(
      expect.objectContaining({
        code: KafkaBusErrorCode.TopicNotConsumed,
        message:
          'cannot subscribe to "ml-run.other": this bus consumes only [ml-run.tokens, ml-run.models]; add it to the topics option',
      }),
    );
  });

  it('says so when the bus consumes nothing', () => {
    const publishOnly = new Subscriptions([], logger);
    expect(() => publishOnly.add('ml-run.tokens', jest.fn())).toThrow('consumes only [none]');
  });

  it('delivers to each handler of the topic in turn, and only to them', async () => {
    const order: string[] = [];
    sut.add('ml-run.tokens', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('first');
    });
    sut.add('ml-run.tokens', () => void order.push('second'));
    sut.add('ml-run.models', () => void order.push('models'));
    await sut.deliver('ml-run.tokens', EVENT);
    expect(order).toEqual(['first', 'second']);
  });

  it('keeps delivering when a handler throws or rejects, and logs each failure', async () => {
    const reached = jest.fn();
    sut.add('ml-run.tokens', () => {
      throw new Error('sync');
    });
    sut.add('ml-run.tokens', async () => {
      throw new Error('async');
    });
    sut.add('ml-run.tokens', reached);
    await sut.deliver('ml-run.tokens', EVENT);
    expect(reached).toHaveBeenCalledWith(EVENT);
    expect(logger.error).toHaveBeenCalledTimes(2);
  });

  it('stops delivering to an unsubscribed handler', async () => {
    const dropped = jest.fn();
    sut.add('ml-run.tokens', dropped)();
    await sut.deliver('ml-run.tokens', EVENT);
    expect(dropped).not.toHaveBeenCalled();
  });

  it('tells every subscriber of every topic about a gap, even when one gap handler throws', () => {
    const gaps: string[] = [];
    sut.add('ml-run.tokens', jest.fn(), {
      onGap: () => {
        throw new Error('x');
      },
    });
    sut.add('ml-run.tokens', jest.fn(), { onGap: () => void gaps.push('tokens') });
    sut.add('ml-run.models', jest.fn(), { onGap: () => void gaps.push('models') });
    sut.add('ml-run.models', jest.fn());
    sut.gap('consumer rejoined');
    expect(gaps).toEqual(['tokens', 'models']);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';

import { KeyedMutex } from './keyed-mutex';

describe(KeyedMutex.name, () => {
  const sut = new KeyedMutex();

  it('runs tasks of one key one at a time, in order', async () => {
    const order: string[] = [];
    const task = (name: string, ms: number) => async () => {
      order.push(`${name} start`);
      await sleep(ms);
      order.push(`${name} end`);
    };
    await Promise.all([sut.run('k', task('a', 20)), sut.run('k', task('b', 1))]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('runs different keys at once', async () => {
    const order: string[] = [];
    const slow = sut.run('x', async () => {
      await sleep(20);
      order.push('x');
    });
    await sut.run('y', async () => void order.push('y'));
    await slow;
    expect(order).toEqual(['y', 'x']);
  });

  it('keeps going after a task fails', async () => {
    const failed = sut.run('k', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    expect(await sut.run('k', async () => 'next')).toBe('next');
  });
});

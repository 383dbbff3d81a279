import { withDeadline } from './with-deadline';

const never = () => new Promise<never>(() => undefined);

describe(withDeadline.name, () => {
  it('settles like the work when it settles first', async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000, () => new Error('late'))).resolves.toBe(7);
    const refused = new Error('refused');
    await expect(
      withDeadline(Promise.reject(refused), 1_000, () => new Error('late')),
    ).rejects.toBe(refused);
  });

  it("rejects with onTimeout()'s error once the deadline passes, building it only then", async () => {
    const late = new Error('no answer within 5 ms');
    const onTimeout = jest.fn(() => late);
    const settled = withDeadline(never(), 5, onTimeout);
    expect(onTimeout).not.toHaveBeenCalled();
    await expect(settled).rejects.toBe(late);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('never calls onTimeout for work that settled in time', async () => {
    jest.useFakeTimers();
    try {
      const onTimeout = jest.fn(() => new Error('late'));
      await withDeadline(Promise.resolve(), 5, onTimeout);
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(10);
      expect(onTimeout).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('times out at once for a deadline of 0 or less', async () => {
    await expect(withDeadline(never(), 0, () => new Error('zero'))).rejects.toThrow('zero');
    await expect(withDeadline(never(), -5, () => new Error('past'))).rejects.toThrow('past');
  });
});

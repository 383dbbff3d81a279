import { FineTimer } from './fine-timer';

describe('FineTimer', () => {
  let timer: FineTimer;
  beforeEach(async () => {
    timer = new FineTimer();
    await timer.ready();
  });
  afterEach(() => timer.close());

  it('wakes after a sleep shorter than a millisecond, and again after the next', async () => {
    const sleep = (ms: number) =>
      new Promise<string>((resolve) => timer.after(ms, () => resolve(`${ms}`)));
    expect(await sleep(0.2)).toBe('0.2');
    expect(await sleep(0)).toBe('0');
  });

  it('wakes no earlier than asked', async () => {
    const start = performance.now();
    await new Promise<void>((resolve) => timer.after(5, resolve));
    expect(performance.now() - start).toBeGreaterThanOrEqual(5);
  });
});

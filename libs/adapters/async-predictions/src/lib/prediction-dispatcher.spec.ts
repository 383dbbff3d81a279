import type { PredictionOutcome, PredictionRequest } from '@ml-run/prediction-contract';

import { MemoryPredictionBus, PredictionQueueFullError } from './memory-prediction-bus';
import { PredictionDispatcher, type PredictionRun } from './prediction-dispatcher';

const request = (id: string, model = 'iris'): PredictionRequest => ({
  id,
  model,
  input: `in-${id}`,
  acceptedAt: '2026-12-06T10:00:00.000Z',
});

// Resolves once `count` outcomes have reached the router's side of the bus.
function outcomesOf(bus: MemoryPredictionBus, count: number) {
  const seen: PredictionOutcome[] = [];
  const all = new Promise<PredictionOutcome[]>((resolve) => {
    void bus.start((outcome) => {
      seen.push(outcome);
      if (seen.length === count) resolve(seen);
      return Promise.resolve();
    });
  });
  return all;
}

describe(PredictionDispatcher.name, () => {
  let bus: MemoryPredictionBus;
  let sut: PredictionDispatcher;

  afterEach(async () => {
    await bus.close();
    await sut.stop();
  });

  it('runs every request and publishes its outcome', async () => {
    bus = new MemoryPredictionBus();
    const run = (r: PredictionRequest): Promise<PredictionRun> =>
      Promise.resolve({ status: 'succeeded', version: '1.0.0', output: `out-${r.input}` });
    sut = new PredictionDispatcher(bus, run, { maxInFlight: 4, maxAttempts: 3, retryDelayMs: 1 });
    const outcomes = outcomesOf(bus, 10);
    sut.start();
    for (let i = 0; i < 10; i++) await bus.enqueue(request(`${i}`, i % 2 ? 'iris' : 'echo'));
    const got = await outcomes;
    expect(got.map((o) => o.output).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `out-in-${i}`).sort(),
    );
    expect(got.every((o) => o.status === 'succeeded' && o.version === '1.0.0')).toBe(true);
  });

  it('never runs more than maxInFlight at once', async () => {
    bus = new MemoryPredictionBus();
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const run = (): Promise<PredictionRun> => {
      most = Math.max(most, ++running);
      return new Promise((resolve) =>
        releases.push(() => {
          running--;
          resolve({ status: 'succeeded', version: 'v', output: '' });
        }),
      );
    };
    sut = new PredictionDispatcher(bus, run, { maxInFlight: 3, maxAttempts: 1, retryDelayMs: 1 });
    const outcomes = outcomesOf(bus, 9);
    sut.start();
    for (let i = 0; i < 9; i++) await bus.enqueue(request(`${i}`));
    // Release runs one at a time until all nine are done.
    const drain = async () => {
      let done = 0;
      while (done < 9) {
        const release = releases.shift();
        if (release) {
          release();
          done++;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await drain();
    await outcomes;
    expect(most).toBe(3);
    expect(bus.depth).toBe(0);
  });

  it('does not hold a slot for a request waiting to run again', async () => {
    bus = new MemoryPredictionBus();
    const run = (r: PredictionRequest): Promise<PredictionRun> =>
      Promise.resolve(
        r.model === 'down'
          ? { status: 'retry', error: { code: 'NO_READY_REPLICA', message: 'none ready' } }
          : { status: 'succeeded', version: 'v', output: 'ok' },
      );
    // One slot, and a backoff far longer than the test: the second model must still run.
    sut = new PredictionDispatcher(bus, run, {
      maxInFlight: 1,
      maxAttempts: 5,
      retryDelayMs: 3_600_000,
    });
    const outcomes = outcomesOf(bus, 1);
    sut.start();
    await bus.enqueue(request('a', 'down'));
    await bus.enqueue(request('b', 'up'));
    expect(await outcomes).toEqual([expect.objectContaining({ id: 'b', status: 'succeeded' })]);
  });

  it('runs a request again while no replica takes it, then fails it with the reason', async () => {
    bus = new MemoryPredictionBus();
    let runs = 0;
    const run = (): Promise<PredictionRun> => {
      runs++;
      return Promise.resolve({
        status: 'retry',
        error: { code: 'NO_READY_REPLICA', message: 'iris has no ready replica' },
      });
    };
    sut = new PredictionDispatcher(bus, run, { maxInFlight: 1, maxAttempts: 3, retryDelayMs: 1 });
    const outcomes = outcomesOf(bus, 1);
    sut.start();
    await bus.enqueue(request('a'));
    const [outcome] = await outcomes;
    expect(runs).toBe(3);
    expect(outcome).toMatchObject({
      id: 'a',
      status: 'failed',
      error: { code: 'NO_READY_REPLICA' },
    });
  });
});

describe(MemoryPredictionBus.name, () => {
  it('takes models round-robin, so one backlog does not starve another model', async () => {
    const sut = new MemoryPredictionBus();
    for (let i = 0; i < 3; i++) await sut.enqueue(request(`big-${i}`, 'big'));
    await sut.enqueue(request('small-0', 'small'));
    const first = await sut.next();
    const second = await sut.next();
    expect([first?.request.model, second?.request.model]).toEqual(['big', 'small']);
    await sut.close();
  });

  it('refuses requests beyond its depth, and still takes a nacked one back', async () => {
    const sut = new MemoryPredictionBus(2);
    await sut.enqueue(request('a'));
    await sut.enqueue(request('b'));
    await expect(sut.enqueue(request('c'))).rejects.toBeInstanceOf(PredictionQueueFullError);
    const taken = await sut.next();
    await sut.enqueue(request('c'));
    taken?.nack();
    expect(sut.depth).toBe(3);
    await sut.close();
  });

  it('hands a nacked request out again, counting the redelivery', async () => {
    const sut = new MemoryPredictionBus();
    await sut.enqueue(request('a'));
    (await sut.next())?.nack();
    const again = await sut.next();
    expect(again).toMatchObject({ request: { id: 'a' }, redeliveries: 1 });
    await sut.close();
  });

  it('redelivers an outcome until its handler resolves', async () => {
    jest.useFakeTimers();
    const sut = new MemoryPredictionBus();
    let calls = 0;
    const handled = new Promise<void>((resolve) => {
      void sut.start(() => {
        calls++;
        if (calls === 1) return Promise.reject(new Error('store down'));
        resolve();
        return Promise.resolve();
      });
    });
    await sut.publish({
      id: 'a',
      model: 'iris',
      version: 'v',
      status: 'succeeded',
      completedAt: '',
    });
    await jest.advanceTimersByTimeAsync(1000);
    await handled;
    expect(calls).toBe(2);
    jest.useRealTimers();
    await sut.close();
  });
});

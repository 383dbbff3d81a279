import IgniteClient from 'apache-ignite-client';

import type { BackoffOptions } from '@ml-run/async';
import { until } from '@ml-run/async/testing';

import { ModelIgniteConnection } from './model-ignite';

const { DISCONNECTED, CONNECTING, CONNECTED } = IgniteClient.STATE;

type Outcome = 'ok' | 'hang' | Error;

// Plays apache-ignite-client's state changes: connect goes CONNECTING, then CONNECTED or
// DISCONNECTED; a dropped socket whose one failover fails ends DISCONNECTED.
class FakeClient {
  readonly outcomes: Outcome[] = [];
  readonly connectTimes: number[] = [];
  connects = 0;
  disconnects = 0;

  constructor(private readonly listener: (state: number, reason?: string | null) => void) {}

  async connect(): Promise<void> {
    this.connects++;
    this.connectTimes.push(Date.now());
    this.listener(CONNECTING);
    const outcome = this.outcomes.shift() ?? 'ok';
    if (outcome === 'hang') return new Promise<void>(() => undefined);
    if (outcome instanceof Error) {
      this.listener(DISCONNECTED, outcome.message);
      throw outcome;
    }
    this.listener(CONNECTED);
  }

  disconnect(): void {
    this.disconnects++;
    this.listener(DISCONNECTED);
  }

  drop(): void {
    this.listener(CONNECTING, 'socket closed');
    this.listener(DISCONNECTED, 'socket closed');
  }
}

const logs: string[] = [];
const logger = {
  log: (_fields: unknown, message?: unknown) => logs.push(String(message)),
  warn: (_fields: unknown, message?: unknown) => logs.push(String(message)),
};

function connection(...outcomes: Outcome[]): { sut: ModelIgniteConnection; fake: FakeClient } {
  return connectionWith({ initialMs: 5, maxMs: 20 }, ...outcomes);
}

function connectionWith(
  backoff: Partial<BackoffOptions>,
  ...outcomes: Outcome[]
): { sut: ModelIgniteConnection; fake: FakeClient } {
  let fake: FakeClient | undefined;
  const sut = new ModelIgniteConnection(['a:1'], {
    logger,
    backoff,
    createClient: (listener) => {
      fake = new FakeClient(listener);
      fake.outcomes.push(...outcomes);
      return fake as unknown as IgniteClient;
    },
  });
  return { sut, fake: fake as FakeClient };
}

afterEach(() => {
  logs.length = 0;
});

describe(ModelIgniteConnection.name, () => {
  it('hands out the connected client itself', async () => {
    const { sut, fake } = connection('ok');
    await sut.open(1_000);
    expect(sut.client).toBe(fake);
    expect(logs).toEqual(['model ignite connected']);
    sut.close();
  });

  it("rejects with the client's reason and closes the client when connecting fails", async () => {
    const { sut, fake } = connection(new Error('[a:1] Connection failed: ECONNREFUSED'));
    await expect(sut.open(1_000)).rejects.toThrow('[a:1] Connection failed: ECONNREFUSED');
    expect(fake.disconnects).toBe(1);
  });

  it('gives up after the timeout when the endpoint does not answer', async () => {
    const { sut, fake } = connection('hang');
    await expect(sut.open(50)).rejects.toThrow('no connection within 0.05 s');
    expect(fake.disconnects).toBe(1);
  });

  it('reconnects the same client after a drop, retrying with backoff', async () => {
    const { sut, fake } = connection('ok', new Error('refused'), new Error('refused'), 'ok');
    await sut.open(1_000);
    fake.drop();
    await until(() => logs.includes('model ignite reconnected'));
    expect(fake.connects).toBe(4);
    expect(sut.client).toBe(fake);
    expect(logs).toEqual([
      'model ignite connected',
      'model ignite connection lost',
      'model ignite reconnected',
    ]);
    sut.close();
  });

  it('doubles the delay while reconnects fail, also after a long healthy spell', async () => {
    jest.useFakeTimers();
    try {
      const refused = new Error('refused');
      const { sut, fake } = connectionWith(
        { initialMs: 5, maxMs: 1_000, resetAfterMs: 30 },
        'ok',
        refused,
        refused,
        refused,
        'ok',
      );
      await sut.open(1_000);
      jest.advanceTimersByTime(40); // up longer than resetAfterMs: the first delay starts over
      const droppedAt = Date.now();
      fake.drop();
      await jest.advanceTimersByTimeAsync(200);
      // Delays 5, 10, 20, 40 ms: a failed attempt is no healthy spell.
      expect(fake.connectTimes.slice(1).map((at) => at - droppedAt)).toEqual([5, 15, 35, 75]);
      expect(logs).toContain('model ignite reconnected');
      sut.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops reconnecting once closed', async () => {
    const { sut, fake } = connection('ok', new Error('refused'));
    await sut.open(1_000);
    fake.drop();
    await until(() => fake.connects === 2);
    sut.close();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(fake.connects).toBe(2);
  });

  it('does not treat its own close as a lost connection', async () => {
    const { sut, fake } = connection('ok');
    await sut.open(1_000);
    sut.close();
    sut.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.disconnects).toBe(1);
    expect(fake.connects).toBe(1);
    expect(logs).toEqual(['model ignite connected']);
  });
});

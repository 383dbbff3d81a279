import { Logger } from '@nestjs/common';

import { until } from '@ml-run/async/testing';
import type { ReplicaStatus } from '@ml-run/registry-contract';

import { fakeProcesses, nth, type FakeProcesses } from '../../testing/fake-processes';
import {
  INIT_FAILED_WITHOUT_REASON,
  type ProbeResult,
  type ReadinessProbe,
} from './readiness-probe';
import { Replica, type ReplicaTiming } from './replica';
import { ReplicaProcess } from './replica-process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(Replica.name, () => {
  let fakes: FakeProcesses;
  let changes: ReplicaStatus[];
  let sut: Replica;

  const timing: ReplicaTiming = {
    startingIntervalMs: 2,
    readyIntervalMs: 5,
    probeTimeoutMs: 50,
    readyTimeoutMs: 1_000,
    stopGraceMs: 50,
  };

  function replica(overrides: Partial<ReplicaTiming> = {}, probe = fakes.probe): Replica {
    const created: Replica = new Replica({
      id: 'echo-0',
      host: '127.0.0.1',
      launch: (port) =>
        new ReplicaProcess(
          fakes.spawn('node', ['main.js'], { MLRUN_HOST: '127.0.0.1', MLRUN_PORT: String(port) }),
        ),
      freePort: fakes.freePort,
      probe,
      timing: { ...timing, ...overrides },
      backoff: { initialMs: 10, maxMs: 40, resetAfterMs: 60_000 },
      onChange: () => changes.push(created.status()),
    });
    return created;
  }

  async function readyReplica(overrides: Partial<ReplicaTiming> = {}, probe?: ReadinessProbe) {
    sut = replica(overrides, probe);
    const started = sut.start();
    await until(() => fakes.children.length === 1);
    fakes.allReady();
    await started;
    return nth(fakes.children, 0);
  }

  beforeEach(() => {
    fakes = fakeProcesses();
    changes = [];
    for (const level of ['log', 'warn'] as const)
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
  });
  afterEach(async () => {
    await sut?.stop();
    jest.restoreAllMocks();
  });

  it('is ready once /readyz answers 200, reporting each step', async () => {
    await readyReplica();

    expect(sut.status()).toEqual({
      id: 'echo-0',
      url: 'http://127.0.0.1:41000',
      state: 'ready',
      restarts: 0,
    });
    expect(changes.map((change) => change.state)).toEqual(['starting', 'ready']);
  });

  it("fails with the model's own init error and ends its process", async () => {
    sut = replica();
    const started = sut.start();
    await until(() => fakes.children.length === 1);
    const child = nth(fakes.children, 0);
    fakes.health.set(child.url, {
      kind: 'not-ready',
      status: 503,
      initError: 'Error: coefficients/weights.json not found',
    });

    await expect(started).rejects.toThrow(
      'replica echo-0: Error: coefficients/weights.json not found',
    );
    expect(sut.status()).toMatchObject({
      state: 'failed',
      error: 'Error: coefficients/weights.json not found',
    });
    await until(() => child.ended);
    expect(child.signals).toEqual(['SIGTERM']);
    await sleep(30);
    expect(fakes.children).toHaveLength(1);
  });

  it("reads the model's init error from the replica's log when /readyz keeps it", async () => {
    sut = replica();
    const started = sut.start();
    await until(() => fakes.children.length === 1);
    const child = nth(fakes.children, 0);
    const failure = {
      level: 50,
      msg: 'model init failed',
      code: 'INIT_FAILED',
      reason: 'Error: no weights',
    };
    child.stdout.write(`{"level":30,"msg":"model init started"}\n${JSON.stringify(failure)}\n`);
    await sleep(10);
    fakes.health.set(child.url, {
      kind: 'not-ready',
      status: 503,
      initError: INIT_FAILED_WITHOUT_REASON,
    });

    await expect(started).rejects.toThrow('replica echo-0: Error: no weights');
    expect(sut.status()).toMatchObject({ state: 'failed', error: 'Error: no weights' });
  });

  it('fails with the tail of its stderr when the process exits before ready', async () => {
    sut = replica();
    const started = sut.start();
    await until(() => fakes.children.length === 1);
    const child = nth(fakes.children, 0);
    child.stderr.write('no ml-run.yaml in /nowhere: add one at the root of the model folder\n');
    child.exit(1);

    await expect(started).rejects.toThrow(
      'replica echo-0: exited with code 1: no ml-run.yaml in /nowhere: add one at the root of the model folder',
    );
  });

  it('moves to another port when its port was taken first', async () => {
    sut = replica();
    const started = sut.start();
    await until(() => fakes.children.length === 1);
    nth(fakes.children, 0).stderr.write(
      'listen EADDRINUSE: address already in use 127.0.0.1:41000\n',
    );
    nth(fakes.children, 0).exit(1);
    await until(() => fakes.children.length === 2);
    fakes.allReady();

    await started;
    expect(sut.status()).toMatchObject({
      url: 'http://127.0.0.1:41001',
      state: 'ready',
      restarts: 0,
    });
  });

  it('fails when not ready within the ready timeout', async () => {
    sut = replica({ readyTimeoutMs: 30 });

    await expect(sut.start()).rejects.toThrow('not ready after 30 ms (/readyz answered 503)');
    await until(() => nth(fakes.children, 0).ended);
  });

  it('is restarted on a new port, with backoff, when its process dies', async () => {
    const first = await readyReplica();

    first.exit(null, 'SIGKILL');
    await until(() => sut.status().state === 'failed');
    expect(sut.status()).toMatchObject({ error: 'was killed by SIGKILL', restarts: 0 });
    await until(() => fakes.children.length === 2);
    fakes.allReady();
    await until(() => sut.status().state === 'ready');

    expect(sut.status()).toEqual({
      id: 'echo-0',
      url: 'http://127.0.0.1:41001',
      state: 'ready',
      restarts: 1,
    });
    expect(changes.map((change) => [change.state, change.restarts])).toEqual([
      ['starting', 0],
      ['ready', 0],
      ['failed', 0],
      ['starting', 1],
      ['ready', 1],
    ]);
  });

  it('keeps restarting a replica whose restarts fail, ever more slowly', async () => {
    const first = await readyReplica();
    const spawnedAt: number[] = [];
    first.exit(1);
    for (let restart = 1; restart <= 3; restart += 1) {
      await until(() => fakes.children.length === restart + 1);
      spawnedAt.push(Date.now());
      nth(fakes.children, restart).exit(1);
    }

    // 10, 20 then 40 ms: the gaps grow.
    expect(nth(spawnedAt, 2) - nth(spawnedAt, 1)).toBeGreaterThanOrEqual(30);
    await until(() => sut.status().state === 'failed');
    expect(sut.status().restarts).toBe(3);
  });

  it('leaves the routes while a ready replica answers 503, and comes back when it recovers', async () => {
    const child = await readyReplica();

    fakes.health.set(child.url, { kind: 'not-ready', status: 503 });
    await until(() => sut.status().state === 'failed');
    expect(sut.status().error).toBe('/readyz answered 503');
    fakes.health.set(child.url, { kind: 'ready' });
    await until(() => sut.status().state === 'ready');

    expect(sut.status().error).toBeUndefined();
    expect(fakes.children).toHaveLength(1);
  });

  it('counts a ready replica as not ready only after two missed answers in a row', async () => {
    let misses = 0;
    const probe = async (url: string, timeoutMs: number): Promise<ProbeResult> =>
      misses-- > 0
        ? { kind: 'unreachable', reason: 'no answer within 50 ms' }
        : fakes.probe(url, timeoutMs);
    // A ready timeout no stalled test runner reaches: only the count of misses decides here.
    await readyReplica({ readyTimeoutMs: 600_000 }, probe);

    // The replica answers again right after its misses, so 'failed' may last one probe
    // interval: read it from the recorded changes, not by polling the current state.
    const failures = () => changes.filter((change) => change.state === 'failed');
    misses = 1;
    await sleep(30);
    expect(failures()).toEqual([]);
    misses = 2;
    await until(() => failures().length > 0);
    expect(failures()[0]?.error).toBe('/readyz not answering: no answer within 50 ms');
  });

  it('replaces a ready replica that stays not ready for the ready timeout', async () => {
    const first = await readyReplica({ readyTimeoutMs: 40 });

    fakes.health.set(first.url, { kind: 'not-ready', status: 503 });
    await until(() => fakes.children.length === 2);

    expect(first.signals).toEqual(['SIGTERM']);
    expect(sut.status().error).toBe('not ready for 40 ms (/readyz answered 503)');
  });

  it('stops with SIGKILL when SIGTERM is ignored, and is never restarted', async () => {
    const child = await readyReplica();
    child.ignoreSigterm = true;

    await sut.stop();
    await sleep(30);

    expect(child.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(sut.status().state).toBe('stopped');
    expect(sut.pids()).toEqual([]);
    expect(fakes.children).toHaveLength(1);
  });

  it('cancels a pending restart when stopped', async () => {
    const child = await readyReplica();
    child.exit(1);
    await until(() => sut.status().state === 'failed');

    await sut.stop();
    await sleep(30);

    expect(fakes.children).toHaveLength(1);
  });

  it('rejects its start when stopped before it was ready', async () => {
    sut = replica();
    const started = sut.start();
    await until(() => fakes.children.length === 1);

    await sut.stop();

    await expect(started).rejects.toThrow('replica echo-0 was stopped before it was ready');
    expect(nth(fakes.children, 0).ended).toBe(true);
  });
});

import type { ProbeResult } from '@ml-run/deployer';

import {
  activeSlots,
  hasLeavingTasks,
  replicaStatuses,
  taskFailures,
  type SwarmTask,
} from './swarm-tasks';

function task(
  slot: number,
  state: string,
  desired = 'running',
  at = 1_000,
  err?: string,
): SwarmTask {
  const status = err === undefined ? { State: state } : { State: state, Err: err };
  return {
    ID: `t${slot}-${at}`,
    Slot: slot,
    CreatedAt: new Date(at).toISOString(),
    DesiredState: desired,
    Status: status,
  };
}

describe(replicaStatuses.name, () => {
  it('has one replica per slot Swarm wants, ready when /readyz says so', () => {
    const tasks = [task(1, 'running'), task(3, 'running'), task(2, 'shutdown', 'shutdown')];
    const probes = new Map<number, ProbeResult>([
      [1, { kind: 'ready' }],
      [3, { kind: 'unreachable', reason: 'refused' }],
    ]);

    expect(activeSlots(tasks)).toEqual([1, 3]);
    expect(replicaStatuses('svc', 21_000, tasks, probes)).toEqual([
      { id: 'svc.1', url: 'http://127.0.0.1:21001', restarts: 0, state: 'ready' },
      { id: 'svc.3', url: 'http://127.0.0.1:21003', restarts: 0, state: 'starting' },
    ]);
  });

  it("is failed in the model's words when init failed", () => {
    const probes = new Map<number, ProbeResult>([
      [1, { kind: 'not-ready', status: 503, initError: 'no coefficients' }],
    ]);

    expect(replicaStatuses('svc', 21_000, [task(1, 'running')], probes)[0]).toMatchObject({
      state: 'failed',
      error: 'no coefficients',
    });
  });

  it("is failed in Swarm's words when its newest task failed, counting restarts", () => {
    const tasks = [
      task(1, 'failed', 'shutdown', 1_000, 'task: non-zero exit (1)'),
      task(1, 'failed', 'running', 2_000, 'task: non-zero exit (2)'),
    ];

    expect(replicaStatuses('svc', 21_000, tasks, new Map())[0]).toMatchObject({
      state: 'failed',
      error: 'task: non-zero exit (2)',
      restarts: 1,
    });
    expect(taskFailures(tasks, 1_500)).toEqual(['slot 1: task: non-zero exit (2)']);
  });
});

describe(hasLeavingTasks.name, () => {
  it('is true while a task Swarm stopped wanting still runs', () => {
    expect(hasLeavingTasks([task(2, 'running', 'shutdown')])).toBe(true);
    expect(hasLeavingTasks([task(2, 'shutdown', 'shutdown'), task(1, 'running')])).toBe(false);
  });
});

import type { ProbeResult } from '@ml-run/deployer';
import type { ReplicaStatus } from '@ml-run/registry-contract';

import { replicaUrl } from './swarm-service-spec';

/** The fields of a Swarm task (GET /tasks) the deployer reads. */
export type SwarmTask = {
  ID: string;
  Slot?: number;
  CreatedAt: string;
  DesiredState: string;
  Status: { State: string; Err?: string; Message?: string };
};

const ENDED = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);
const FAILED = new Set(['failed', 'rejected']);
const GONE = new Set(['shutdown', 'remove']);

/** Slots Swarm wants running, lowest first; after a scale-down they need not be 1…n. */
export function activeSlots(tasks: readonly SwarmTask[]): number[] {
  const slots = tasks
    .filter((task) => task.Slot !== undefined && !GONE.has(task.DesiredState))
    .map((task) => task.Slot as number);
  return [...new Set(slots)].sort((a, b) => a - b);
}

/** True while a task Swarm no longer wants still has a live container (its port). */
export function hasLeavingTasks(tasks: readonly SwarmTask[]): boolean {
  return tasks.some((task) => GONE.has(task.DesiredState) && !ENDED.has(task.Status.State));
}

/** Why tasks created at or after `since` failed, in Swarm's words; empty when none did. */
export function taskFailures(tasks: readonly SwarmTask[], since: number): string[] {
  return tasks
    .filter((task) => FAILED.has(task.Status.State) && Date.parse(task.CreatedAt) >= since)
    .map(
      (task) => `slot ${task.Slot}: ${task.Status.Err ?? task.Status.Message ?? task.Status.State}`,
    );
}

function newestFirst(a: SwarmTask, b: SwarmTask): number {
  return Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt);
}

/** One replica per active slot: ready on /readyz 200, failed on INIT_FAILED or a failed task. */
export function replicaStatuses(
  serviceName: string,
  base: number,
  tasks: readonly SwarmTask[],
  probes: ReadonlyMap<number, ProbeResult>,
): ReplicaStatus[] {
  return activeSlots(tasks).map((slot) => {
    const history = tasks.filter((task) => task.Slot === slot).sort(newestFirst);
    const status = {
      id: `${serviceName}.${slot}`,
      url: replicaUrl(base, slot),
      restarts: Math.max(0, history.length - 1),
    };
    const probe = probes.get(slot);
    if (probe?.kind === 'ready') return { ...status, state: 'ready' };
    if (probe?.kind === 'not-ready' && probe.initError !== undefined)
      return { ...status, state: 'failed', error: probe.initError };
    const newest = history[0];
    if (newest && FAILED.has(newest.Status.State))
      return { ...status, state: 'failed', error: newest.Status.Err ?? newest.Status.State };
    return { ...status, state: 'starting' };
  });
}

import { setTimeout as sleep } from 'node:timers/promises';

import { descendantsOf, isRunning } from '@ml-run/process-testing';

/** The root and every live process under it (zombies have exited: no CPU left to count). */
export function treePids(root: number): number[] {
  const below = descendantsOf(root).filter((p) => p.state !== 'Z' && p.state !== 'X');
  return [...(isRunning(root) ? [root] : []), ...below.map((p) => p.pid)];
}

/**
 * Signals a process group (the peer is spawned detached, so it leads its own group and
 * every worker it forks is in it) and, in case one left the group, each pid we knew of.
 */
function signalTree(group: number, pids: number[], signal: NodeJS.Signals): void {
  for (const target of [-group, ...pids]) {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * SIGTERM to the whole tree, so the servers shut down their workers; whatever still runs
 * after graceMs gets SIGKILL. Resolves once none of the tree's processes runs.
 */
export async function killTree(group: number, graceMs = 10_000): Promise<void> {
  const pids = [group, ...treePids(group)];
  signalTree(group, pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isRunning) && Date.now() < deadline) await sleep(50);
  if (pids.some(isRunning)) signalTree(group, pids.filter(isRunning), 'SIGKILL');
  while (pids.some(isRunning)) await sleep(20);
}

/** For process exit: no time to wait, so SIGKILL at once. */
export function killTreeNow(group: number): void {
  signalTree(group, [group, ...treePids(group)], 'SIGKILL');
}

import { runClosedLoad, type ClosedLoadResult } from './closed-load';
import { cpuOverWindow, pidsOf, readCpu, type RoleCpu } from './cpu-accounting';
import type { RunningCase } from './services';

/** One measured window of one case. */
export type WindowResult = { load: ClosedLoadResult; cpu: RoleCpu[]; wallSeconds: number };

/**
 * Warms the case up (sent, not counted: JIT, keep-alive, L1), then loads it for `seconds`
 * at `connections` with each role's CPU read from /proc just before and just after.
 */
export async function measureWindow(
  running: RunningCase,
  settings: { connections: number; seconds: number; warmupSeconds: number },
): Promise<WindowResult> {
  if (settings.warmupSeconds > 0)
    await runClosedLoad(running.target, settings.connections, settings.warmupSeconds);
  const pids = pidsOf(running.roles);
  const before = readCpu(pids);
  const started = performance.now();
  const load = await runClosedLoad(running.target, settings.connections, settings.seconds);
  const wallSeconds = (performance.now() - started) / 1000;
  const after = readCpu(pids);
  return { load, cpu: cpuOverWindow(before, after, load.responses, wallSeconds), wallSeconds };
}

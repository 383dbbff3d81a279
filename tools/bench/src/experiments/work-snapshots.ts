// CPU per completion of one station over one driven window: CPU from /proc of the
// processes doing the work, completions from the service's own counter.
import { processCpuSeconds } from '../cpu-time';
import { scrapeCounters, sumOf } from '../loadgen';
import { cpuPerCompletion, type WorkSnapshot } from './calibration-math';
import { type ExperimentStack } from './stack';

// CPU of `pids` per increase of a service counter over what `drive` does; failed requests
// void the measurement (a refused request costs less than a served one).
export async function cpuPer(
  stack: ExperimentStack,
  pids: number[],
  target: string,
  counter: string,
  drive: () => Promise<{ requests: number; failures: number }>,
): Promise<WorkSnapshot> {
  const before = await snapshot(stack, pids, target, counter);
  const driven = await drive();
  const after = await snapshot(stack, pids, target, counter);
  if (driven.failures > 0)
    throw new Error(`${target}: ${driven.failures} of ${driven.requests} requests failed`);
  return cpuPerCompletion(before, after);
}

// The wrapper's node process and its whole tree (with the python worker) over one window.
export async function cpuPerBoth(
  stack: ExperimentStack,
  wrapper: number[],
  tree: number[],
  drive: () => Promise<{ requests: number; failures: number }>,
): Promise<[WorkSnapshot, WorkSnapshot]> {
  const counter = 'mlrun_predictions_total';
  const [nodeBefore, treeBefore] = await Promise.all([
    snapshot(stack, wrapper, 'wrapper-1', counter),
    snapshot(stack, tree, 'wrapper-1', counter),
  ]);
  const driven = await drive();
  const nodeAfter = await snapshot(stack, wrapper, 'wrapper-1', counter);
  const treeAfter = await snapshot(stack, tree, 'wrapper-1', counter);
  if (driven.failures > 0) throw new Error(`wrapper: ${driven.failures} requests failed`);
  return [cpuPerCompletion(nodeBefore, nodeAfter), cpuPerCompletion(treeBefore, treeAfter)];
}

async function snapshot(
  stack: ExperimentStack,
  pids: number[],
  targetName: string,
  counter: string,
): Promise<WorkSnapshot> {
  const target = stack.scrapeTargets.find((t) => t.name === targetName);
  if (!target) throw new Error(`no scrape target ${targetName}`);
  const values = await scrapeCounters(target);
  return { cpuSeconds: processCpuSeconds(pids), completions: sumOf(values, counter) };
}

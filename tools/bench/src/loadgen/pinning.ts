import { execFileSync, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

import { descendantsOf, REPO_ROOT } from '@ml-run/process-testing';

import { LoadgenOptionError } from './options';
import type { ClosedLoopOptions, ClosedLoopResult, OpenLoopOptions, OpenLoopResult } from './types';

export type PinnedJob =
  { kind: 'open'; options: OpenLoopOptions } | { kind: 'closed'; options: ClosedLoopOptions };

const CHILD_SOURCE = path.join(REPO_ROOT, 'tools/bench/src/loadgen/pinned-entry.ts');
const CHILD_BUNDLE = path.join(REPO_ROOT, 'dist/tools/bench/loadgen-pinned.js');

let bundled: Promise<unknown> | undefined;

// The child entry as one CommonJS file (the bench itself runs as a bundle; so can it).
function bundleChild(): Promise<unknown> {
  bundled ??= build({
    entryPoints: [CHILD_SOURCE],
    outfile: CHILD_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    tsconfig: path.join(REPO_ROOT, 'tsconfig.base.json'),
    logLevel: 'warning',
  });
  return bundled;
}

/** `cpus` as taskset takes it ("0", "0,1", "0-1"), or a clear error. */
function checkCpuList(cpus: string): void {
  if (!/^\d+([-,]\d+)*$/.test(cpus))
    throw new LoadgenOptionError(
      'LOADGEN_BAD_CPUS',
      `cpus is a CPU list such as "0" or "0-1", got "${cpus}".`,
    );
}

function requireTaskset(): void {
  const probe = spawnSync('taskset', ['--version'], { stdio: 'ignore' });
  if (probe.error)
    throw new LoadgenOptionError(
      'LOADGEN_NO_TASKSET',
      'taskset (util-linux) is not on PATH: install util-linux to pin CPUs.',
    );
}

/**
 * Runs a loop in a child Node process pinned to `cpus` with taskset, so the generator's
 * CPU is kept apart from the system under test (pin that with pinProcessTree).
 */
export function runPinned(
  cpus: string,
  kind: 'open',
  options: OpenLoopOptions,
): Promise<OpenLoopResult>;
export function runPinned(
  cpus: string,
  kind: 'closed',
  options: ClosedLoopOptions,
): Promise<ClosedLoopResult>;
export async function runPinned(
  cpus: string,
  kind: PinnedJob['kind'],
  options: OpenLoopOptions | ClosedLoopOptions,
): Promise<OpenLoopResult | ClosedLoopResult> {
  checkCpuList(cpus);
  requireTaskset();
  await bundleChild();
  const child = spawn('taskset', ['-c', cpus, process.execPath, CHILD_BUNDLE], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(JSON.stringify({ kind, options }));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`pinned load generator exited ${code}: ${stderr.trim()}`);
  return JSON.parse(stdout) as OpenLoopResult | ClosedLoopResult;
}

/**
 * Pins a started service and every process under it (sandboxed workers) to `cpus`,
 * all threads of each (taskset -a -cp). Processes that end meanwhile are skipped.
 */
export function pinProcessTree(pid: number, cpus: string): number[] {
  checkCpuList(cpus);
  requireTaskset();
  const pinned: number[] = [];
  for (const target of [pid, ...descendantsOf(pid).map((p) => p.pid)]) {
    try {
      execFileSync('taskset', ['-a', '-cp', cpus, String(target)], { stdio: 'ignore' });
      pinned.push(target);
    } catch {
      if (target === pid) throw new Error(`taskset could not pin process ${pid} (has it ended?)`);
    }
  }
  return pinned;
}

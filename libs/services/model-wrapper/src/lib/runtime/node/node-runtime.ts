// Node models: the worker pool running node mlrun-node-worker.js, so that model code never
// runs in the wrapper's process (whose environment holds its credentials).
import * as path from 'node:path';

import { modelWorkerEnv } from '@ml-run/config';
import type { ModelProcessLauncher } from '@ml-run/sandbox';

import { sandboxLaunch } from '../worker/launch-plan';
import { WorkerPool, type WorkerPoolOptions } from '../worker/worker-pool';
import type { WorkerCommand } from '../worker/worker-process';
import { nodeLaunch } from './node-launch';

/** The worker's file name, next to the wrapper's main.js in dist/apps and dist/images. */
export const NODE_WORKER_FILE = 'mlrun-node-worker.js';

// Requests one node worker holds at once. A node predict is usually async (I/O, Ignite):
// the worker interleaves them as the in-process runtime did; the HTTP layer's
// MLRUN_MAX_INFLIGHT bounds the total.
const NODE_MAX_IN_FLIGHT = 1024;

export type NodeRuntimeOptions = Omit<WorkerPoolOptions, 'worker'> & {
  /** Default: this process's node. */
  nodeExecutable?: string;
  /** Default: mlrun-node-worker.js next to this module (the build puts it there). */
  workerScript?: string;
  /** The worker's whole environment; default modelWorkerEnv(config). */
  env?: Readonly<Record<string, string>>;
};

export function nodeRuntime(options: NodeRuntimeOptions): WorkerPool {
  const { nodeExecutable = process.execPath, workerScript, env, ...pool } = options;
  const script = workerScript ?? path.join(__dirname, NODE_WORKER_FILE);
  const worker: WorkerCommand = {
    runtime: 'node',
    command: nodeExecutable,
    args: [script],
    env: env ?? modelWorkerEnv(options.config),
    channel: 'fd3',
    maxInFlight: NODE_MAX_IN_FLIGHT,
  };
  return new WorkerPool({ ...pool, worker });
}

/** The node runtime with every worker spawned through the replica's sandbox (options.launcher). */
export function sandboxedNodeRuntime(
  options: Omit<NodeRuntimeOptions, 'launch'> & { launcher: ModelProcessLauncher },
): WorkerPool {
  const { nodeExecutable = process.execPath, workerScript, launcher } = options;
  const plan = nodeLaunch({
    node: nodeExecutable,
    script: workerScript ?? path.join(__dirname, NODE_WORKER_FILE),
    modelDir: options.modelDir,
    coefficientsDir: options.coefficientsDir,
    env: modelWorkerEnv(options.config),
    launcher,
  });
  return nodeRuntime({
    ...options,
    nodeExecutable: plan.spec.command,
    workerScript: plan.spec.args[0],
    modelDir: plan.modelDir,
    coefficientsDir: plan.coefficientsDir,
    launch: sandboxLaunch(launcher, plan),
    env: plan.spec.env,
  });
}

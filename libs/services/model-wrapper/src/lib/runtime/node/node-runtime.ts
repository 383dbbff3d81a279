// Node models: the worker pool running node mlrun-node-worker.js, so that model code never
// runs in the wrapper's process (whose environment holds its credentials).
import * as path from 'node:path';

import { modelWorkerEnv } from '@ml-run/config';

import { WorkerPool, type WorkerPoolOptions } from '../worker/worker-pool';
import type { WorkerCommand } from '../worker/worker-process';

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
};

export function nodeRuntime(options: NodeRuntimeOptions): WorkerPool {
  const { nodeExecutable = process.execPath, workerScript, ...pool } = options;
  const script = workerScript ?? path.join(__dirname, NODE_WORKER_FILE);
  const worker: WorkerCommand = {
    runtime: 'node',
    command: nodeExecutable,
    args: [script],
    env: modelWorkerEnv(options.config),
    channel: 'fd3',
    maxInFlight: NODE_MAX_IN_FLIGHT,
  };
  return new WorkerPool({ ...pool, worker });
}

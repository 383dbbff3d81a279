import type { ModelRuntime, RuntimeOptions } from './model-runtime.port';
import { nodeRuntime } from './node/node-runtime';
import { pythonRuntime } from './python/python-runtime';
import { spawnLaunch, type Launch } from './worker/launch';

export type RuntimeKind = 'python' | 'node';

/** Where the runtimes' workers come from; tests and the sandbox replace parts of it. */
export type WorkerHost = {
  /** MLRUN_PYTHON. */
  pythonExecutable: string;
  /** Default: mlrun-node-worker.js next to the wrapper's bundle. */
  nodeWorkerScript?: string;
  /** Starts every worker process, python or node; default spawn(). */
  launch?: Launch;
};

/** Picks the runtime the manifest names: a pool of worker processes either way. */
export function createRuntime(
  kind: RuntimeKind,
  options: RuntimeOptions,
  host: WorkerHost,
): ModelRuntime {
  const launch = host.launch ?? spawnLaunch;
  return kind === 'python'
    ? pythonRuntime({ ...options, launch, pythonExecutable: host.pythonExecutable })
    : nodeRuntime({ ...options, launch, workerScript: host.nodeWorkerScript });
}

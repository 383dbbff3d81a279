import type { RuntimeKind } from '@ml-run/model-contract';
import type { ModelProcessLauncher } from '@ml-run/sandbox';

import type { ModelRuntime, RuntimeOptions } from './model-runtime.port';
import { nodeRuntime, sandboxedNodeRuntime } from './node/node-runtime';
import { pythonRuntime, sandboxedPythonRuntime } from './python/python-runtime';
import type { Launch } from './worker/launch';

/** Where the runtimes' workers come from; tests replace parts of it. */
export type WorkerHost = {
  /** MLRUN_PYTHON. */
  pythonExecutable: string;
  /** Default: mlrun-node-worker.js next to the wrapper's bundle. */
  nodeWorkerScript?: string;
  /** Starts every worker process as it is, python or node (tests); else the sandbox does. */
  launch?: Launch;
};

/**
 * Picks the runtime the manifest names: a pool of worker processes either way, each worker
 * spawned through the replica's sandbox (`launcher`), unless the host gives its own launch.
 */
export async function createRuntime(
  kind: RuntimeKind,
  options: RuntimeOptions & { launcher: ModelProcessLauncher },
  host: WorkerHost,
): Promise<ModelRuntime> {
  if (host.launch) {
    const { launch } = host;
    return kind === 'python'
      ? pythonRuntime({ ...options, launch, pythonExecutable: host.pythonExecutable })
      : nodeRuntime({ ...options, launch, workerScript: host.nodeWorkerScript });
  }
  return kind === 'python'
    ? sandboxedPythonRuntime({ ...options, pythonExecutable: host.pythonExecutable })
    : sandboxedNodeRuntime({ ...options, workerScript: host.nodeWorkerScript });
}

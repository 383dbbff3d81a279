import type { RuntimeKind } from '@ml-run/model-contract';
import type { ModelProcessLauncher } from '@ml-run/sandbox';

import type { ModelRuntime, RuntimeOptions } from './model-runtime.port';
import { nodeRuntime, sandboxedNodeRuntime } from './node/node-runtime';
import { pythonRuntime, sandboxedPythonRuntime } from './python/python-runtime';
import type { RRequirements } from './r/r-requirements';
import { rRuntime, sandboxedRRuntime } from './r/r-runtime';
import type { Launch } from './worker/launch';

/** Where the runtimes' workers come from; tests replace parts of it. */
export type WorkerHost = {
  /** MLRUN_PYTHON. */
  pythonExecutable: string;
  /** MLRUN_RSCRIPT; default 'Rscript'. */
  rscript?: string;
  /** Default: mlrun-node-worker.js next to the wrapper's bundle. */
  nodeWorkerScript?: string;
  /** Starts every worker process as it is, any runtime (tests); else the sandbox does. */
  launch?: Launch;
};

/**
 * Picks the runtime the manifest names: a pool of worker processes in every case, each worker
 * spawned through the replica's sandbox (`launcher`), unless the host gives its own launch.
 */
export async function createRuntime(
  kind: RuntimeKind,
  options: RuntimeOptions & { launcher: ModelProcessLauncher; r?: RRequirements },
  host: WorkerHost,
): Promise<ModelRuntime> {
  const { r: requirements, ...common } = options;
  const rOptions = { ...common, requirements, rscript: host.rscript };
  if (host.launch) {
    const { launch } = host;
    if (kind === 'r') return rRuntime({ ...rOptions, launch });
    return kind === 'python'
      ? pythonRuntime({ ...common, launch, pythonExecutable: host.pythonExecutable })
      : nodeRuntime({ ...common, launch, workerScript: host.nodeWorkerScript });
  }
  if (kind === 'r') return sandboxedRRuntime(rOptions);
  return kind === 'python'
    ? sandboxedPythonRuntime({ ...common, pythonExecutable: host.pythonExecutable })
    : sandboxedNodeRuntime({ ...common, workerScript: host.nodeWorkerScript });
}

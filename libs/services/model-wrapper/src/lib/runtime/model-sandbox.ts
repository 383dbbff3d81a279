// The replica's sandbox, from MLRUN_SANDBOX and the manifest's resources.
import { cpuCount, memoryBytes, type Manifest } from '@ml-run/model-contract';
import {
  Sandbox,
  type ModelProcessLauncher,
  type SandboxLimits,
  type SandboxMode,
} from '@ml-run/sandbox';

import { runAsLauncher } from './run-as';
import { socketLauncher } from './worker-socket/socket-launcher';

/** Processes and threads a replica's workers may hold together (the manifest has no field). */
export const DEFAULT_PIDS_LIMIT = 512;

export function modelLimits(manifest: Manifest): SandboxLimits {
  return {
    memoryBytes: memoryBytes(manifest.resources.memory),
    cpus: cpuCount(manifest.resources.cpu),
    pids: DEFAULT_PIDS_LIMIT,
  };
}

/**
 * The sandbox every worker of the replica (python or node) is spawned through. With
 * MLRUN_MODEL_UID (a container, whose runtime enforces the limits) workers only change uid;
 * with MLRUN_WORKER_SOCKET they run in the pod's model container (socketLauncher).
 * Throws SANDBOX_UNAVAILABLE when the mode cannot be had here: the wrapper does not start.
 */
export async function modelSandbox(
  mode: SandboxMode,
  manifest: Manifest,
  modelUid?: number,
  workerSocket?: string,
): Promise<ModelProcessLauncher> {
  const limits = modelLimits(manifest);
  if (workerSocket !== undefined) return socketLauncher({ socketPath: workerSocket, limits });
  if (modelUid !== undefined) return runAsLauncher({ uid: modelUid }, limits);
  const sandbox = await Sandbox.detect(mode);
  return sandbox.group({ name: manifest.name, limits });
}

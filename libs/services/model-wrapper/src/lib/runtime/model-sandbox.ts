// The replica's sandbox, from MLRUN_SANDBOX and the manifest's resources.
import { cpuCount, memoryBytes, type Manifest } from '@ml-run/model-contract';
import {
  Sandbox,
  unsandboxedLauncher,
  type ModelProcessLauncher,
  type SandboxLimits,
  type SandboxMode,
} from '@ml-run/sandbox';

/** Processes and threads a replica's workers may hold together (the manifest has no field). */
export const DEFAULT_PIDS_LIMIT = 512;

export function modelLimits(manifest: Manifest): SandboxLimits {
  return {
    memoryBytes: memoryBytes(manifest.resources.memory),
    cpus: cpuCount(manifest.resources.cpu),
    pids: DEFAULT_PIDS_LIMIT,
  };
}

/** Throws SANDBOX_UNAVAILABLE when the mode cannot be had here: the wrapper does not start. */
export async function modelSandbox(
  mode: SandboxMode,
  manifest: Manifest,
): Promise<ModelProcessLauncher> {
  const limits = modelLimits(manifest);
  if (manifest.runtime !== 'python') {
    // A mode that demands isolation still fails start where the machine cannot give it.
    if (mode === 'full' || mode === 'uid') await Sandbox.detect(mode);
    return unsandboxedLauncher('node models run inside the wrapper process: not sandboxed', limits);
  }
  const sandbox = await Sandbox.detect(mode);
  return sandbox.group({ name: manifest.name, limits });
}

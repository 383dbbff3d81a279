// Python models: the worker pool running python3 mlrun_worker.py.
import * as path from 'node:path';

import { modelProcessEnv } from '@ml-run/config';
import type { ModelProcessLauncher } from '@ml-run/sandbox';

import { sandboxLaunch } from '../worker/launch-plan';
import { WorkerPool, type WorkerPoolOptions } from '../worker/worker-pool';
import type { WorkerCommand } from '../worker/worker-process';
import { probeInterpreter, pythonLaunch } from './python-launch';

export type PythonRuntimeOptions = Omit<WorkerPoolOptions, 'worker'> & {
  /** Default 'python3' (looked up on PATH). */
  pythonExecutable?: string;
  /** Default: mlrun_worker.py next to this module (the build copies it there). */
  workerScript?: string;
};

// One request running and the next waiting in the worker's pipe: the worker goes from one
// to the next without sleeping and waking between them (fewer context switches, -30% CPU
// per request on the iris bench); more would only hold requests back from an idle worker.
const PYTHON_MAX_IN_FLIGHT = 2;

export function pythonRuntime(options: PythonRuntimeOptions): WorkerPool {
  const { pythonExecutable = 'python3', workerScript, ...pool } = options;
  const script = workerScript ?? path.join(__dirname, 'mlrun_worker.py');
  return new WorkerPool({ ...pool, worker: pythonWorkerCommand(pythonExecutable, script) });
}

/**
 * The python runtime with every worker spawned through the replica's sandbox: the
 * interpreter is asked once where it lives, so the sandbox can show it those dirs.
 */
export async function sandboxedPythonRuntime(
  options: Omit<PythonRuntimeOptions, 'launch'> & { launcher: ModelProcessLauncher },
): Promise<WorkerPool> {
  const { pythonExecutable = 'python3', workerScript, launcher, ...pool } = options;
  const plan = pythonLaunch({
    python: pythonExecutable,
    interpreter: await probeInterpreter(pythonExecutable, modelProcessEnv()),
    script: workerScript ?? path.join(__dirname, 'mlrun_worker.py'),
    modelDir: options.modelDir,
    coefficientsDir: options.coefficientsDir,
    modelEnv: options.config,
    launcher,
  });
  const worker: WorkerCommand = {
    runtime: 'python',
    command: plan.spec.command,
    args: plan.spec.args,
    env: plan.spec.env,
    channel: 'stdio',
    maxInFlight: PYTHON_MAX_IN_FLIGHT,
    inOrder: true,
  };
  return new WorkerPool({
    ...pool,
    launcher,
    modelDir: plan.modelDir,
    coefficientsDir: plan.coefficientsDir,
    worker,
    launch: sandboxLaunch(launcher, plan),
  });
}

// The python worker keeps this process's environment minus every MLRUN_ setting: PYTHONPATH
// (the image's dependencies folder) and the locale reach it.
function pythonWorkerCommand(python: string, script: string): WorkerCommand {
  return {
    runtime: 'python',
    command: python,
    args: ['-u', script],
    env: { ...modelProcessEnv(), PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    channel: 'stdio',
    maxInFlight: PYTHON_MAX_IN_FLIGHT,
    inOrder: true,
  };
}

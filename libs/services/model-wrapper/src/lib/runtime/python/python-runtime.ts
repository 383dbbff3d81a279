// Python models: the worker pool running python3 mlrun_worker.py.
import * as path from 'node:path';

import { modelProcessEnv } from '@ml-run/config';

import { WorkerPool, type WorkerPoolOptions } from '../worker/worker-pool';
import type { WorkerCommand } from '../worker/worker-process';

export type PythonRuntimeOptions = Omit<WorkerPoolOptions, 'worker'> & {
  /** Default 'python3' (looked up on PATH). */
  pythonExecutable?: string;
  /** Default: mlrun_worker.py next to this module (the build copies it there). */
  workerScript?: string;
};

export function pythonRuntime(options: PythonRuntimeOptions): WorkerPool {
  const { pythonExecutable = 'python3', workerScript, ...pool } = options;
  const script = workerScript ?? path.join(__dirname, 'mlrun_worker.py');
  return new WorkerPool({ ...pool, worker: pythonWorkerCommand(pythonExecutable, script) });
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
    maxInFlight: 1,
  };
}

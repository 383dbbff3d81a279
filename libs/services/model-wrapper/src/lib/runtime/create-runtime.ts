import type { ModelRuntime, RuntimeOptions } from './model-runtime.port';
import { NodeRuntime } from './node/node-runtime';
import { PythonRuntime } from './python/python-runtime';
import type { RunAs } from './run-as';

export type RuntimeKind = 'python' | 'node';

/**
 * Picks the runtime the manifest names. `runAs` applies to python workers; node models
 * still run inside the wrapper's process, so the caller must not count on it there.
 */
export function createRuntime(
  kind: RuntimeKind,
  options: RuntimeOptions,
  pythonExecutable: string,
  runAs?: RunAs,
): ModelRuntime {
  return kind === 'python'
    ? new PythonRuntime({ ...options, pythonExecutable, ...(runAs ? { runAs } : {}) })
    : new NodeRuntime({ ...options, workers: 1 });
}

import type { ModelRuntime, RuntimeOptions } from './model-runtime.port';
import { NodeRuntime } from './node/node-runtime';
import { PythonRuntime } from './python/python-runtime';

export type RuntimeKind = 'python' | 'node';

/** Picks the runtime the manifest names. */
export function createRuntime(
  kind: RuntimeKind,
  options: RuntimeOptions,
  pythonExecutable: string,
): ModelRuntime {
  return kind === 'python'
    ? new PythonRuntime({ ...options, pythonExecutable })
    : new NodeRuntime({ ...options, workers: 1 });
}

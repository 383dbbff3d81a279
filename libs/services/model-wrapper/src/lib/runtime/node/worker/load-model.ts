// Loads a node model's entry module in the worker and checks that it can serve.
import { createRequire } from 'node:module';
import path from 'node:path';

import type { NodeModel } from '@ml-run/model-contract';

/** The platform could not get the model ready (not the model's own error): its text stands alone. */
export class ModelLoadError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = 'ModelLoadError';
    // The stack that matters is where the model or the client failed, not this wrapper's.
    if (cause instanceof Error && cause.stack) this.stack = cause.stack;
  }
}

export function loadModel(modelDir: string, entry: string): NodeModel {
  const file = path.resolve(modelDir, entry);
  let loaded: Partial<NodeModel> & { default?: Partial<NodeModel> };
  try {
    // createRequire: a real Node require, also for ESM entries (Node >= 20.19), untouched by bundlers.
    loaded = createRequire(file)(file);
  } catch (error) {
    throw new ModelLoadError(`cannot load ${entry}: ${describe(error)}`, error);
  }
  const model = typeof loaded.predict === 'function' ? loaded : loaded.default;
  if (typeof model?.predict !== 'function') {
    throw new ModelLoadError(`${entry} must export a predict(input) function`);
  }
  return model as NodeModel;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

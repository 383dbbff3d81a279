import { createRequire } from 'node:module';
import path from 'node:path';

import { withDeadline } from '@ml-run/async';
import type { ModelContext, ModelLogger, NodeModel } from '@ml-run/model-contract';

import {
  PREDICT_TIMEOUT_MS,
  type HarnessRequest,
  type HarnessResult,
  type HarnessStage,
} from './harness-result';

/** Loads a node model in this process and runs init, then predict on the input. */
export async function runNodeModel(request: HarnessRequest): Promise<HarnessResult> {
  const logs: string[] = [];
  let stage: HarnessStage = 'load';
  try {
    const model = loadModel(request.modelDir, request.entry);
    stage = 'init';
    const init = model.init?.bind(model);
    if (init) await bounded(() => init(context(request, logs)), request.initTimeoutMs, 'init');
    if (request.input === undefined) return { stage: 'done', logs };
    stage = 'predict';
    const input = request.input;
    const output: unknown = await bounded(
      () => model.predict(input),
      PREDICT_TIMEOUT_MS,
      'predict',
    );
    if (typeof output !== 'string') {
      throw new TypeError(`predict must return a string, got ${typeName(output)}`);
    }
    return { stage: 'done', output, logs };
  } catch (error) {
    const trace = field(error, 'stack');
    return { stage, error: describe(error), logs, ...(typeof trace === 'string' ? { trace } : {}) };
  }
}

function loadModel(modelDir: string, entry: string): NodeModel {
  const file = path.resolve(modelDir, entry);
  // A real Node require (ESM entries too, Node >= 20.19), relative to the entry.
  const loaded = createRequire(file)(file) as Partial<NodeModel> & { default?: Partial<NodeModel> };
  const model = typeof loaded.predict === 'function' ? loaded : loaded.default;
  if (typeof model?.predict !== 'function') {
    throw new TypeError(`${entry} must export a predict(input) function`);
  }
  return model as NodeModel;
}

function context(request: HarnessRequest, logs: string[]): ModelContext {
  const log =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      logs.push(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
    };
  const logger: ModelLogger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  return {
    modelDir: request.modelDir,
    coefficientsDir: request.coefficientsDir,
    logger,
    config: request.config,
    ignite: null,
  };
}

function bounded<T>(work: () => T | Promise<T>, ms: number, what: string): Promise<T> {
  // Through then(): a model function that throws at once rejects like one that rejects later.
  return withDeadline(
    Promise.resolve().then(work),
    ms,
    () => new Error(`${what} did not finish within ${ms / 1000} s`),
  );
}

// Duck-typed: errors thrown by the model's module may come from another realm.
function describe(error: unknown): string {
  const name = field(error, 'name');
  const message = field(error, 'message');
  return typeof message === 'string' ? `${String(name ?? 'Error')}: ${message}` : String(error);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

import { createRequire } from 'node:module';
import path from 'node:path';
import { Logger } from '@nestjs/common';

import type { ModelContext, ModelLogger, NodeModel } from '@ml-run/model-contract';

import type { ModelRuntime, RuntimeOptions, RuntimeStats } from '../model-runtime.port';
import { RuntimeError, RuntimeErrorCode } from '../runtime.errors';

/** Runs a node model in this process: the entry module is loaded once, init awaited once. */
export class NodeRuntime implements ModelRuntime {
  private readonly logger = new Logger(NodeRuntime.name);
  private model: NodeModel | undefined;
  private inFlight = 0;

  constructor(private readonly options: RuntimeOptions) {}

  async start(): Promise<void> {
    const model = this.load();
    if (model.init) {
      await withTimeout(
        Promise.resolve().then(() => model.init?.(this.context())),
        this.options.initTimeoutMs,
      ).catch((error: unknown) => {
        if (error instanceof RuntimeError) throw error;
        throw new RuntimeError(RuntimeErrorCode.InitFailed, describe(error), stackOf(error));
      });
    }
    this.model = model;
  }

  async predict(input: string): Promise<string> {
    const model = this.model;
    if (!model)
      throw new RuntimeError(RuntimeErrorCode.NoWorkerAvailable, 'model is not initialized');
    this.inFlight++;
    try {
      const output: unknown = await model.predict(input);
      if (typeof output !== 'string') {
        throw new RuntimeError(
          RuntimeErrorCode.PredictFailed,
          `TypeError: predict must return a string, got ${typeName(output)}`,
        );
      }
      return output;
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError(RuntimeErrorCode.PredictFailed, describe(error), stackOf(error));
    } finally {
      this.inFlight--;
    }
  }

  async stop(): Promise<void> {
    this.model = undefined;
  }

  stats(): RuntimeStats {
    return { workers: this.model ? 1 : 0, busyWorkers: this.inFlight > 0 ? 1 : 0, restarts: 0 };
  }

  private load(): NodeModel {
    const entry = path.resolve(this.options.modelDir, this.options.entry);
    let loaded: Partial<NodeModel> & { default?: Partial<NodeModel> };
    try {
      // createRequire: a real Node require, also for ESM entries (Node >= 20.19), untouched by bundlers.
      loaded = createRequire(entry)(entry);
    } catch (error) {
      throw new RuntimeError(
        RuntimeErrorCode.InitFailed,
        `cannot load ${this.options.entry}: ${describe(error)}`,
        stackOf(error),
      );
    }
    const model = typeof loaded.predict === 'function' ? loaded : loaded.default;
    if (typeof model?.predict !== 'function') {
      throw new RuntimeError(
        RuntimeErrorCode.InitFailed,
        `${this.options.entry} must export a predict(input) function`,
      );
    }
    return model as NodeModel;
  }

  private context(): ModelContext {
    return {
      modelDir: this.options.modelDir,
      coefficientsDir: this.options.coefficientsDir,
      config: this.options.config,
      logger: modelLogger(this.logger),
      ignite: null,
    };
  }
}

function modelLogger(logger: Logger): ModelLogger {
  return {
    debug: (message, fields) => logger.debug({ ...fields, source: 'model' }, message),
    info: (message, fields) => logger.log({ ...fields, source: 'model' }, message),
    warn: (message, fields) => logger.warn({ ...fields, source: 'model' }, message),
    error: (message, fields) => logger.error({ ...fields, source: 'model' }, message),
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new RuntimeError(
            RuntimeErrorCode.InitTimeout,
            `init did not finish within ${ms / 1000} s`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

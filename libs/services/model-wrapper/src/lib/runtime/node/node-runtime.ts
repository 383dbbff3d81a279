import { createRequire } from 'node:module';
import path from 'node:path';
import { Logger } from '@nestjs/common';

import type {
  ModelContext,
  ModelIgniteClient,
  ModelLogger,
  NodeModel,
} from '@ml-run/model-contract';
import { unsandboxedLauncher, type SandboxReport } from '@ml-run/sandbox';

import type { ModelRuntime, RuntimeOptions, RuntimeStats } from '../model-runtime.port';
import { RuntimeError, RuntimeErrorCode } from '../runtime.errors';
import { withDeadline } from './deadline';
import { connectModelIgnite, type IgniteConnection, type IgniteConnector } from './model-ignite';

export type NodeRuntimeOptions = RuntimeOptions & {
  /** Default: a real apache-ignite-client connection. */
  connectIgnite?: IgniteConnector;
};

const NODE_IN_PROCESS = 'node models run inside the wrapper process: not sandboxed';

// Longest wait for Ignite before init (capped by initTimeoutSeconds).
const MAX_IGNITE_CONNECT_MS = 10_000;

/** Runs a node model in this process: the entry module is loaded once, init awaited once. */
export class NodeRuntime implements ModelRuntime {
  private readonly logger = new Logger(NodeRuntime.name);
  private model: NodeModel | undefined;
  private ignite: IgniteConnection | undefined;
  private inFlight = 0;

  constructor(private readonly options: NodeRuntimeOptions) {}

  async start(): Promise<void> {
    const model = this.load();
    const init = model.init?.bind(model);
    // ctx reaches init only: a model without init gets no Ignite connection either.
    if (init) this.ignite = await this.runInit(init);
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

  // In process: nothing of the sandbox applies (the node worker pool will spawn through it).
  sandbox(): SandboxReport {
    return (this.options.launcher ?? unsandboxedLauncher(NODE_IN_PROCESS)).report();
  }

  async stop(): Promise<void> {
    this.model = undefined;
    this.ignite?.close();
    this.ignite = undefined;
  }

  stats(): RuntimeStats {
    return {
      workers: this.model ? 1 : 0,
      busyWorkers: this.inFlight > 0 ? 1 : 0,
      restarts: 0,
      oomKills: 0,
    };
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

  private async runInit(
    init: NonNullable<NodeModel['init']>,
  ): Promise<IgniteConnection | undefined> {
    const ignite = await this.openIgnite();
    try {
      const ms = this.options.initTimeoutMs;
      await withDeadline(
        Promise.resolve().then(() => init(this.context(ignite?.client))),
        ms,
        () =>
          new RuntimeError(
            RuntimeErrorCode.InitTimeout,
            `init did not finish within ${ms / 1000} s`,
          ),
      );
    } catch (error) {
      ignite?.close();
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError(RuntimeErrorCode.InitFailed, describe(error), stackOf(error));
    }
    return ignite;
  }

  private async openIgnite(): Promise<IgniteConnection | undefined> {
    const endpoints = this.options.igniteEndpoints;
    if (!endpoints || endpoints.length === 0) return undefined;
    const connect = this.options.connectIgnite ?? connectModelIgnite;
    const timeoutMs = Math.min(this.options.initTimeoutMs, MAX_IGNITE_CONNECT_MS);
    try {
      return await connect(endpoints, timeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RuntimeError(
        RuntimeErrorCode.InitFailed,
        `cannot connect to Ignite at ${endpoints.join(', ')} (MLRUN_IGNITE_ENDPOINTS): ${reason}`,
        stackOf(error),
      );
    }
  }

  private context(ignite: ModelIgniteClient | undefined): ModelContext {
    return {
      modelDir: this.options.modelDir,
      coefficientsDir: this.options.coefficientsDir,
      config: this.options.config,
      logger: modelLogger(this.logger),
      // null, not undefined, as docs/architecture.md §1 says (and python's None): "no Ignite here".
      ignite: ignite ?? null,
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

// The node worker's model host: answers the init and predict requests of the worker protocol
// (see ../../worker/worker-protocol.ts). It runs in the worker process, never in the wrapper,
// so the model shares a process (and an environment) with no platform secret.
import type { ModelContext, NodeModel } from '@ml-run/model-contract';

import type { WorkerErrorBody, WorkerReply } from '../../worker/worker-protocol';
import { loadModel, ModelLoadError } from './load-model';
import { connectModelIgnite, type IgniteConnection, type IgniteConnector } from './model-ignite';
import { modelLogger } from './worker-log';

export type NodeWorkerOptions = {
  /** Default: a real apache-ignite-client connection. */
  connectIgnite?: IgniteConnector;
  /** Default: lines on stderr. */
  logger?: ModelContext['logger'];
};

type Fields = Record<string, unknown>;

// Longest wait for Ignite before init (capped by initTimeoutSeconds).
const MAX_IGNITE_CONNECT_MS = 10_000;

export class NodeWorker {
  private predictFn: NodeModel['predict'] | undefined;
  private ignite: IgniteConnection | undefined;

  constructor(private readonly options: NodeWorkerOptions = {}) {}

  /** The reply to one request frame; never rejects. */
  async handle(request: Fields & { id: number }): Promise<WorkerReply> {
    const { id } = request;
    try {
      if (request['op'] === 'predict') {
        return { id, ok: true, output: await this.predict(request['input']) };
      }
      if (request['op'] === 'init') {
        await this.init(request);
        return { id, ok: true };
      }
      throw new TypeError(`unknown op ${JSON.stringify(request['op'])}`);
    } catch (error) {
      return { id, ok: false, error: errorBody(error) };
    }
  }

  /** Disconnects ctx.ignite; safe to call twice. */
  close(): void {
    this.ignite?.close();
    this.ignite = undefined;
  }

  private async init(request: Fields): Promise<void> {
    if (this.predictFn) throw new Error('worker is already initialized');
    const modelDir = String(request['modelDir']);
    const model = loadModel(modelDir, String(request['entry']));
    const init = model.init?.bind(model);
    // ctx reaches init only: a model without init gets no Ignite connection either.
    if (init) {
      this.ignite = await this.openIgnite(request);
      try {
        await init(this.context(request));
      } catch (error) {
        this.close();
        throw error;
      }
    }
    this.predictFn = model.predict.bind(model);
  }

  private async predict(input: unknown): Promise<string> {
    const predict = this.predictFn;
    if (!predict) throw new Error('predict before init');
    if (typeof input !== 'string')
      throw new TypeError(`input must be a string, got ${typeName(input)}`);
    const output: unknown = await predict(input);
    if (typeof output !== 'string') {
      throw new TypeError(`predict must return a string, got ${typeName(output)}`);
    }
    return output;
  }

  private async openIgnite(request: Fields): Promise<IgniteConnection | undefined> {
    const endpoints = stringList(request['igniteEndpoints']);
    if (endpoints.length === 0) return undefined;
    const connect = this.options.connectIgnite ?? connectModelIgnite;
    const initMs = Number(request['initTimeoutMs']) || MAX_IGNITE_CONNECT_MS;
    try {
      return await connect(endpoints, Math.min(initMs, MAX_IGNITE_CONNECT_MS));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ModelLoadError(
        `cannot connect to Ignite at ${endpoints.join(', ')} (MLRUN_MODEL_IGNITE_ENDPOINTS): ${reason}`,
        error,
      );
    }
  }

  private context(request: Fields): ModelContext {
    return {
      modelDir: String(request['modelDir']),
      coefficientsDir: String(request['coefficientsDir']),
      config: stringRecord(request['config']),
      logger: this.options.logger ?? modelLogger(),
      // null, not undefined, as docs/architecture.md §1 says (and python's None): "no Ignite here".
      ignite: this.ignite?.client ?? null,
    };
  }
}

// The model's error as "<name>: <message>" with its stack; the platform's own (the entry
// would not load, Ignite is away) with type '' so that its text stands alone.
function errorBody(error: unknown): WorkerErrorBody {
  if (error instanceof ModelLoadError) {
    return { type: '', message: error.message, traceback: error.stack ?? '' };
  }
  if (error instanceof Error) {
    return { type: error.name, message: error.message, traceback: error.stack ?? '' };
  }
  return { type: String(error), message: '', traceback: '' };
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function stringRecord(value: unknown): Readonly<Record<string, string>> {
  const record: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return record;
  for (const [key, item] of Object.entries(value)) record[key] = String(item);
  return record;
}

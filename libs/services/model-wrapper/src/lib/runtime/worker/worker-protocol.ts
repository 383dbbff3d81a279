// Messages of the worker protocol (python/mlrun_worker.py, node/worker/node-worker.ts) and
// their mapping to RuntimeError.
import { RuntimeError, type RuntimeErrorCode } from '../runtime.errors';
import { FrameError } from './frame-codec';

export type InitPayload = {
  modelDir: string;
  entry: string;
  coefficientsDir: string;
  config: Readonly<Record<string, string>>;
  /** MLRUN_MODEL_IGNITE_ENDPOINTS (host:port): the worker connects ctx.ignite before init. */
  igniteEndpoints?: readonly string[];
  /** initTimeoutSeconds in ms: bounds the node worker's Ignite connect (python ignores it). */
  initTimeoutMs?: number;
};

export type WorkerRequest =
  ({ id: number; op: 'init' } & InitPayload) | { id: number; op: 'predict'; input: string };

// type '' marks the platform's own error (the worker could not load the entry, reach Ignite):
// its message is the whole text, with no model error type before it.
export type WorkerErrorBody = { type: string; message: string; traceback: string };

export type WorkerReply =
  { id: number; ok: true; output?: string } | { id: number; ok: false; error: WorkerErrorBody };

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a decoded frame; throws FrameError when it is not a reply of this protocol. */
export function parseReply(frame: unknown): WorkerReply {
  if (!isObject(frame) || !Number.isInteger(frame['id']) || typeof frame['ok'] !== 'boolean') {
    throw new FrameError('reply is not an object with an integer id and a boolean ok');
  }
  const id = frame['id'] as number;
  if (frame['ok']) {
    const output = frame['output'];
    if (output !== undefined && typeof output !== 'string') {
      throw new FrameError('reply output is not a string');
    }
    return { id, ok: true, output };
  }
  return { id, ok: false, error: parseErrorBody(frame['error']) };
}

function parseErrorBody(value: unknown): WorkerErrorBody {
  const body = isObject(value) ? value : {};
  const text = (key: string, fallback: string): string =>
    typeof body[key] === 'string' ? (body[key] as string) : fallback;
  return {
    type: text('type', 'Error'),
    message: text('message', ''),
    traceback: text('traceback', ''),
  };
}

/** The model's own error text, e.g. "ValueError: bad coefficients"; the traceback goes to detail. */
export function modelError(code: RuntimeErrorCode, error: WorkerErrorBody): RuntimeError {
  const text =
    error.type && error.message ? `${error.type}: ${error.message}` : error.type || error.message;
  return new RuntimeError(code, text, error.traceback || undefined);
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

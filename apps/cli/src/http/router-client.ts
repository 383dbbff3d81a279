import {
  ASYNC_PREDICT_PATH,
  PREDICTION_PATH,
  type AsyncPredictAccepted,
  type PredictionView,
} from '@ml-run/prediction-contract';

import { segment, send, sendJson, type ServiceEndpoint } from './service-endpoint';

/** A version, else an alias (the router uses `stable` when neither is given). */
export type PredictTarget = { name: string; version?: string; alias?: string };
export type PredictAnswer = { status: number; contentType: string; body: string };

function predictPath(target: PredictTarget): string {
  const base = `/v1/models/${segment(target.name)}`;
  if (target.version !== undefined) return `${base}/versions/${segment(target.version)}/predict`;
  if (target.alias !== undefined)
    return `${base}/predict?alias=${encodeURIComponent(target.alias)}`;
  return `${base}/predict`;
}

/** The header naming where the router posts a settled prediction. */
const CALLBACK_HEADER = 'x-mlrun-callback-url';

/** The router's predict endpoints, synchronous and asynchronous. */
export class RouterClient {
  constructor(private readonly endpoint: ServiceEndpoint) {}

  async predict(target: PredictTarget, input: string): Promise<PredictAnswer> {
    const response = await send(this.endpoint, predictPath(target), {
      method: 'POST',
      headers: { 'content-type': contentTypeOf(input) },
      body: input,
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: await response.text(),
    };
  }

  /** Queues a prediction (POST .../predict:async); the router answers with its id. */
  async predictAsync(
    name: string,
    input: string,
    callback?: string,
  ): Promise<AsyncPredictAccepted> {
    const path = ASYNC_PREDICT_PATH.replace(':name', segment(name)).replace('::', ':');
    const headers: Record<string, string> = { 'content-type': contentTypeOf(input) };
    if (callback !== undefined) headers[CALLBACK_HEADER] = callback;
    const response = await send(this.endpoint, path, { method: 'POST', headers, body: input });
    return (await response.json()) as AsyncPredictAccepted;
  }

  /** One of the caller's predictions (GET /v1/predictions/{id}). */
  prediction(id: string): Promise<PredictionView> {
    const path = PREDICTION_PATH.replace(':id', segment(id));
    return sendJson<PredictionView>(this.endpoint, 'GET', path);
  }
}

/** JSON when the input parses as JSON, else plain text (the model gets the raw body either way). */
export function contentTypeOf(input: string): string {
  try {
    JSON.parse(input);
    return 'application/json';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}

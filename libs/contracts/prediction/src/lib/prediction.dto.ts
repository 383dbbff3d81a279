/**
 * Asynchronous predictions: what travels between routers and replicas, what the results
 * store keeps, and what the HTTP API answers. The same shapes serve cluster mode (Kafka +
 * Ignite) and embedded mode (in-process bus + memory).
 */

/** Path of acceptance (Fastify spells the ':' as '::'). */
export const ASYNC_PREDICT_PATH = '/v1/models/:name/predict::async';
/** Path of a result (readable only by the subject that asked for it). */
export const PREDICTION_PATH = '/v1/predictions/:id';

export const PREDICTION_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type PredictionStatus = (typeof PREDICTION_STATUSES)[number];

/**
 * One accepted request, on the model's request topic (key: id). It carries no subject and
 * no callback: the replicas (and the model code in them) learn only the input.
 * @example { id: '5f0c…', model: 'iris', input: '{"features":[5.1,3.5,1.4,0.2]}', acceptedAt: '2026-12-06T10:00:00.000Z' }
 */
export type PredictionRequest = {
  id: string;
  model: string;
  input: string;
  acceptedAt: string;
};

/** Why a prediction failed, as the synchronous API would have answered it. */
export type PredictionError = { code: string; message: string };

/**
 * What a replica publishes on the model's outcome topic (key: id). Redeliveries of one
 * request may produce several outcomes for one id; the results store keeps the first.
 */
export type PredictionOutcome = {
  id: string;
  model: string;
  /** The model version that answered. */
  version: string;
  status: 'succeeded' | 'failed';
  output?: string;
  error?: PredictionError;
  completedAt: string;
};

/** Where and how to call back when the prediction settles (an admin-allowlisted URL). */
export type PredictionCallback = { url: string };

/** The results store's record: written pending at acceptance, settled once. */
export type PredictionRecord = {
  id: string;
  model: string;
  /** The token subject that asked; the only subject that may read the record. */
  subject: string;
  status: PredictionStatus;
  acceptedAt: string;
  /** The record (and result) is dropped after this instant. */
  expiresAt: string;
  callback?: PredictionCallback;
  version?: string;
  output?: string;
  error?: PredictionError;
  completedAt?: string;
};

/** Body of POST .../predict:async: the input exactly as the synchronous predict takes it. */
export type AsyncPredictAccepted = {
  id: string;
  status: 'pending';
  /** Relative URL of the result, also sent as the Location header. */
  location: string;
};

/** Body of GET /v1/predictions/{id}: the record without the subject and callback. */
export type PredictionView = Omit<PredictionRecord, 'subject' | 'callback'>;

export function predictionViewOf(record: PredictionRecord): PredictionView {
  const view: PredictionView & Partial<Pick<PredictionRecord, 'subject' | 'callback'>> = {
    ...record,
  };
  delete view.subject;
  delete view.callback;
  return view;
}

import type { PredictionOutcome, PredictionRecord, PredictionRequest } from './prediction.dto';

/** Hands accepted requests to the model's replicas (Kafka topic, or the in-process bus). */
export type PredictionQueue = {
  /** Resolves once the request is durably queued (Kafka: acks from all in-sync replicas). */
  enqueue(request: PredictionRequest): Promise<void>;
  close(): Promise<void>;
};

/** What a settle did: the first outcome for an id wins; later ones are redeliveries. */
export type SettleResult =
  | { kind: 'settled'; record: PredictionRecord }
  | { kind: 'duplicate' }
  /** No pending record: never accepted here, or expired before its outcome came. */
  | { kind: 'unknown' };

/** The store every router shares (Ignite in cluster mode, memory in embedded mode). */
export type PredictionResults = {
  /** Writes the pending record before the request is queued, so no outcome finds none. */
  accept(record: PredictionRecord): Promise<void>;
  /** Settles a pending record atomically (compare-and-set): at most one settle per id. */
  settle(outcome: PredictionOutcome): Promise<SettleResult>;
  /** The live record, or undefined when unknown or expired. */
  get(id: string): Promise<PredictionRecord | undefined>;
  close(): Promise<void>;
};

/** Delivers replicas' outcomes to a router; an outcome is acknowledged once onOutcome resolves. */
export type PredictionOutcomeFeed = {
  start(onOutcome: (outcome: PredictionOutcome) => Promise<void>): Promise<void>;
  close(): Promise<void>;
};

/** Everything a router needs for asynchronous predictions, in either mode. */
export type AsyncPredictionAdapters = {
  queue: PredictionQueue;
  results: PredictionResults;
  outcomes: PredictionOutcomeFeed;
};

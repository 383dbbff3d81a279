import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  PREDICTION_PATH,
  predictionViewOf,
  type AsyncPredictAccepted,
  type AsyncPredictionAdapters,
  type PredictionRecord,
  type PredictionView,
} from '@ml-run/prediction-contract';

import { RouterError, RouterErrorCode } from '../router.errors';
import { modelNotFound } from '../routes/route-resolver';
import { RoutingTable } from '../routes/routing-table';
import { AsyncPredictionError, AsyncPredictionErrorCode } from './async-prediction.errors';
import { AsyncPredictionMetrics } from './async-prediction.metrics';
import type { CallbackAddressPolicy } from './callbacks/callback-address-policy';

export const ASYNC_PREDICTIONS = Symbol('ASYNC_PREDICTIONS');
export const ASYNC_SETTINGS = Symbol('ASYNC_SETTINGS');

export type AsyncSettings = {
  resultTtlMs: number;
  /** Absent: no callback secret is configured, so callbacks are refused. */
  callbackPolicy: CallbackAddressPolicy | undefined;
};

/** An accepted request before its body is read: where it goes, and where to call back. */
export type Acceptance = { model: string; subject: string; callback?: string };

/**
 * Acceptance and reading of asynchronous predictions: a pending record first (so no outcome
 * can find none), then the request on the model's queue; a record only for its subject.
 */
@Injectable()
export class AsyncPredictionService {
  private readonly logger = new Logger(AsyncPredictionService.name);

  constructor(
    private readonly table: RoutingTable,
    private readonly metrics: AsyncPredictionMetrics,
    @Inject(ASYNC_PREDICTIONS) private readonly adapters: AsyncPredictionAdapters | null,
    @Inject(ASYNC_SETTINGS) private readonly settings: AsyncSettings,
  ) {}

  /** Throws what the caller must hear before its body is read (404, 400, 503). */
  async admit(acceptance: Acceptance): Promise<void> {
    this.ports();
    if (!this.table.loaded) {
      throw new RouterError(
        RouterErrorCode.RoutesNotLoaded,
        'the router is still loading its routes from the builder; retry in a second',
      );
    }
    if (!this.table.model(acceptance.model)) {
      throw modelNotFound(acceptance.model, this.table.modelNames());
    }
    if (acceptance.callback !== undefined) await this.checkCallback(acceptance.callback);
  }

  async accept(acceptance: Acceptance, input: string): Promise<AsyncPredictAccepted> {
    const { queue, results } = this.ports();
    const now = Date.now();
    const record: PredictionRecord = {
      id: randomUUID(),
      model: acceptance.model,
      subject: acceptance.subject,
      status: 'pending',
      acceptedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.settings.resultTtlMs).toISOString(),
      ...(acceptance.callback !== undefined && { callback: { url: acceptance.callback } }),
    };
    try {
      await results.accept(record);
      await queue.enqueue({
        id: record.id,
        model: record.model,
        input,
        acceptedAt: record.acceptedAt,
      });
    } catch (error) {
      // A pending record without its request just expires; the caller retries.
      this.logger.error({ err: error, id: record.id, model: record.model }, 'not queued');
      throw new AsyncPredictionError(
        AsyncPredictionErrorCode.QueueUnavailable,
        'the prediction could not be queued; nothing will run, retry in a second',
      );
    }
    this.metrics.accept(record.model);
    return { id: record.id, status: 'pending', location: locationOf(record.id) };
  }

  /** The caller's own prediction; any other (or unknown, or expired) is the same 404. */
  async read(subject: string, id: string): Promise<PredictionView> {
    const { results } = this.ports();
    const record = await results.get(id);
    if (record === undefined || record.subject !== subject) {
      throw new AsyncPredictionError(
        AsyncPredictionErrorCode.PredictionNotFound,
        `no prediction ${id.slice(0, 64)} for this caller: unknown, expired, or asked by someone else`,
      );
    }
    return predictionViewOf(record);
  }

  private async checkCallback(url: string): Promise<void> {
    const policy = this.settings.callbackPolicy;
    if (policy === undefined) {
      throw new AsyncPredictionError(
        AsyncPredictionErrorCode.CallbacksDisabled,
        'this router sends no callbacks (no MLRUN_CALLBACK_SECRET): poll the Location instead',
      );
    }
    await policy.check(url);
  }

  private ports(): AsyncPredictionAdapters {
    if (this.adapters === null) {
      throw new AsyncPredictionError(
        AsyncPredictionErrorCode.AsyncUnavailable,
        'this router serves no asynchronous predictions (it was started without them); use POST /v1/models/{name}/predict',
      );
    }
    return this.adapters;
  }
}

/** The Location of a prediction's result. */
export function locationOf(id: string): string {
  return PREDICTION_PATH.replace(':id', encodeURIComponent(id));
}

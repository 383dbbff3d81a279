import { Inject, Injectable } from '@nestjs/common';

import { ModelLifecycle } from '../initialization/model-lifecycle.service';
import { ModelState } from '../initialization/model-state';
import { MODEL_RUNTIME } from '../loaded-model';
import type { ModelRuntime } from '../runtime/model-runtime.port';
import { InflightGate } from './inflight-gate';
import { mapWrapperError, PredictionError, PredictionErrorCode } from './prediction.errors';
import { PredictionMetrics } from './prediction.metrics';
import { RecentPredictionErrors } from './recent-errors';

/** One prediction: admission (ready? a free slot?), predict, and its metrics. */
@Injectable()
export class PredictionService {
  constructor(
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    private readonly lifecycle: ModelLifecycle,
    private readonly gate: InflightGate,
    private readonly metrics: PredictionMetrics,
    private readonly recentErrors: RecentPredictionErrors,
  ) {}

  /**
   * `caller` is the token's subject, or undefined when authorization is disabled; a failure
   * is remembered with `requestId`. One promise of its own per prediction (a then on the
   * runtime's): this runs on every request.
   */
  predict(input: string, caller?: string, requestId?: string): Promise<string> {
    const started = performance.now();
    try {
      this.admit();
      this.acquireSlot();
    } catch (error) {
      this.observe(started, error, caller, requestId);
      return Promise.reject(error as Error);
    }
    let output: Promise<string>;
    try {
      output = this.runtime.predict(input);
    } catch (error) {
      output = Promise.reject(error as Error);
    }
    return output.then(
      (result) => {
        this.gate.release();
        this.metrics.observe(200, (performance.now() - started) / 1000, caller);
        return result;
      },
      (error: unknown) => {
        this.gate.release();
        this.observe(started, error, caller, requestId);
        throw error;
      },
    );
  }

  private observe(
    started: number,
    error: unknown,
    caller: string | undefined,
    requestId: string | undefined,
  ): void {
    const reply = mapWrapperError(error);
    const status = reply?.status ?? 500;
    this.metrics.observe(status, (performance.now() - started) / 1000, caller);
    // An unexpected error's own text stays in the log: the ring says what its 500 said.
    const message = reply?.message ?? 'internal error (see the replica log)';
    this.recentErrors.record(status, reply?.code, message, requestId);
  }

  private admit(): void {
    const state = this.lifecycle.state;
    if (state === ModelState.Ready) return;
    if (state === ModelState.InitFailed) {
      const reason = this.lifecycle.initFailure?.message ?? 'unknown reason';
      throw new PredictionError(
        PredictionErrorCode.InitFailed,
        `model failed to initialize: ${reason}`,
      );
    }
    throw new PredictionError(
      PredictionErrorCode.ModelNotReady,
      `model is ${state.toLowerCase()}; retry when /readyz answers 200`,
    );
  }

  private acquireSlot(): void {
    if (!this.gate.tryAcquire()) {
      throw new PredictionError(
        PredictionErrorCode.TooManyInFlight,
        `this replica is serving its limit of ${this.gate.limit} predictions (MLRUN_MAX_INFLIGHT); retry after a second or add replicas`,
      );
    }
  }
}

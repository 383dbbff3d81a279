import { Logger } from '@nestjs/common';

import type {
  PredictionError,
  PredictionOutcome,
  PredictionRequest,
} from '@ml-run/prediction-contract';

import type { PredictionDeliveries, PredictionDelivery } from './memory-prediction-bus';

/** What running one request gave: the model's answer, or why it failed. */
export type PredictionRun =
  | { status: 'succeeded'; version: string; output: string }
  | { status: 'failed'; version: string; error: PredictionError }
  /** Nobody could take it now (no ready replica, replicas busy): try again later. */
  | { status: 'retry'; error: PredictionError };

/** Has the model's replicas predict one request (embedded mode: through the router). */
export type PredictionRunner = (request: PredictionRequest) => Promise<PredictionRun>;

export type PredictionDispatcherOptions = {
  /** Requests running at once, all models together. */
  maxInFlight: number;
  /** Runs of one request that found no replica before it fails with the last reason. */
  maxAttempts: number;
  /** Wait before a request that found no replica is run again (doubles, up to 16 times). */
  retryDelayMs: number;
};

/**
 * Embedded mode's stand-in for the replicas' consumers: takes requests from the bus, at most
 * `maxInFlight` at once, has them run, and publishes each outcome before acking the request
 * (a crash in between redelivers it; the results store keeps the first outcome).
 */
export class PredictionDispatcher {
  private readonly logger = new Logger(PredictionDispatcher.name);
  private readonly active = new Set<Promise<void>>();
  private stopped = false;
  private wakeSlot: (() => void) | undefined;
  private started = false;

  constructor(
    private readonly bus: PredictionDeliveries,
    private readonly run: PredictionRunner,
    private readonly options: PredictionDispatcherOptions,
  ) {}

  get inFlight(): number {
    return this.active.size;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.takeLoop();
  }

  /**
   * Stops taking requests and resolves once the ones running have finished (their outcomes
   * are still published). A take still waiting on the bus hands its request back.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeSlot?.();
    await Promise.all(this.active);
  }

  private async takeLoop(): Promise<void> {
    while (!this.stopped) {
      if (this.active.size >= this.options.maxInFlight) {
        await new Promise<void>((resolve) => (this.wakeSlot = resolve));
        continue;
      }
      const delivery = await this.bus.next();
      if (delivery === undefined) return;
      if (this.stopped) return delivery.nack();
      const dispatching = this.dispatch(delivery).finally(() => {
        this.active.delete(dispatching);
        this.wakeSlot?.();
      });
      this.active.add(dispatching);
    }
  }

  private async dispatch(delivery: PredictionDelivery): Promise<void> {
    const { request } = delivery;
    let run: PredictionRun;
    try {
      run = await this.run(request);
    } catch (error) {
      this.logger.error({ err: error, id: request.id, model: request.model }, 'run failed');
      run = { status: 'retry', error: { code: 'INTERNAL', message: 'the run failed' } };
    }
    if (run.status === 'retry' && delivery.redeliveries + 1 < this.options.maxAttempts) {
      // Back on the bus after the backoff, without holding a slot meanwhile: a model with
      // no ready replica does not slow the other models' requests.
      return this.later(delivery);
    }
    try {
      await this.bus.publish(outcomeOf(request, run));
      delivery.ack();
    } catch (error) {
      this.logger.warn({ err: error, id: request.id }, 'outcome not published; redelivering');
      delivery.nack();
    }
  }

  private later(delivery: PredictionDelivery): void {
    const ms = this.options.retryDelayMs * 2 ** Math.min(delivery.redeliveries, 4);
    setTimeout(() => delivery.nack(), ms).unref();
  }
}

function outcomeOf(request: PredictionRequest, run: PredictionRun): PredictionOutcome {
  const base = { id: request.id, model: request.model, completedAt: new Date().toISOString() };
  if (run.status === 'succeeded') {
    return { ...base, status: 'succeeded', version: run.version, output: run.output };
  }
  // Out of attempts: no version answered.
  const version = run.status === 'failed' ? run.version : '';
  return { ...base, status: 'failed', version, error: run.error };
}

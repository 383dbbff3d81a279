import { Logger } from '@nestjs/common';

import type {
  PredictionOutcome,
  PredictionOutcomeFeed,
  PredictionQueue,
  PredictionRequest,
} from '@ml-run/prediction-contract';

/** One request handed to a consumer: ack once its outcome is published, nack to have it again. */
export type PredictionDelivery = {
  request: PredictionRequest;
  /** How many times this request was handed out before (0 the first time). */
  redeliveries: number;
  ack(): void;
  /** Puts the request back at the head of its model's queue (at-least-once). */
  nack(): void;
};

/** Where a dispatcher takes requests from and publishes outcomes to (the replicas' side). */
export type PredictionDeliveries = {
  next(): Promise<PredictionDelivery | undefined>;
  publish(outcome: PredictionOutcome): Promise<void>;
};

type Queued = { request: PredictionRequest; redeliveries: number };

// An outcome whose handler failed (the results store down) is offered again after this.
const OUTCOME_RETRY_MS = 1000;

/** The bus holds `maxDepth` requests already: the caller should retry later. */
export class PredictionQueueFullError extends Error {
  constructor(readonly maxDepth: number) {
    super(`the prediction queue holds ${maxDepth} requests already`);
    this.name = 'PredictionQueueFullError';
  }
}

/**
 * Embedded mode's bus, the in-process stand-in for the request and outcome topics: a queue
 * per model, taken round-robin so one model's backlog does not starve another's, and an
 * outcome channel to the router. Same semantics as Kafka's: a request stays owned until
 * acked (a nack redelivers it), and an outcome is redelivered until its handler resolves.
 */
export class MemoryPredictionBus
  implements PredictionQueue, PredictionOutcomeFeed, PredictionDeliveries
{
  private readonly logger = new Logger(MemoryPredictionBus.name);
  private readonly queues = new Map<string, Queued[]>();
  private readonly takers: Array<(delivery: PredictionDelivery | undefined) => void> = [];
  private onOutcome: ((outcome: PredictionOutcome) => Promise<void>) | undefined;
  private readonly unheard: PredictionOutcome[] = [];
  private closed = false;

  /**
   * `maxDepth`: requests waiting in all queues together before enqueue refuses (the memory
   * a flood of acceptances can take is bounded, as a topic's retention bounds Kafka's).
   */
  constructor(private readonly maxDepth = 10_000) {}

  /** Requests waiting in every model's queue. */
  get depth(): number {
    let depth = 0;
    for (const queue of this.queues.values()) depth += queue.length;
    return depth;
  }

  enqueue(request: PredictionRequest): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the prediction bus is closed'));
    if (this.depth >= this.maxDepth) {
      return Promise.reject(new PredictionQueueFullError(this.maxDepth));
    }
    this.put({ request, redeliveries: 0 }, 'tail');
    return Promise.resolve();
  }

  /** The next request of any model, round-robin; undefined once the bus closes. */
  next(): Promise<PredictionDelivery | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const queued = this.take();
    if (queued) return Promise.resolve(this.delivery(queued));
    return new Promise((resolve) => this.takers.push(resolve));
  }

  async start(onOutcome: (outcome: PredictionOutcome) => Promise<void>): Promise<void> {
    this.onOutcome = onOutcome;
    for (const outcome of this.unheard.splice(0)) void this.deliver(outcome);
    return Promise.resolve();
  }

  /** Hands an outcome to the router; resolves once it is handed (the handler runs on). */
  publish(outcome: PredictionOutcome): Promise<void> {
    if (this.onOutcome === undefined) this.unheard.push(outcome);
    else void this.deliver(outcome);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    for (const taker of this.takers.splice(0)) taker(undefined);
    return Promise.resolve();
  }

  private async deliver(outcome: PredictionOutcome): Promise<void> {
    for (;;) {
      const handler = this.onOutcome;
      if (handler === undefined || this.closed) return;
      try {
        await handler(outcome);
        return;
      } catch (error) {
        this.logger.warn({ err: error, id: outcome.id }, 'outcome not handled; redelivering');
        await new Promise((resolve) => setTimeout(resolve, OUTCOME_RETRY_MS).unref());
      }
    }
  }

  private put(queued: Queued, end: 'head' | 'tail'): void {
    const taker = this.takers.shift();
    if (taker) return taker(this.delivery(queued));
    const model = queued.request.model;
    let queue = this.queues.get(model);
    if (queue === undefined) this.queues.set(model, (queue = []));
    if (end === 'head') queue.unshift(queued);
    else queue.push(queued);
  }

  // Round-robin: the model taken from goes to the back of the Map's order.
  private take(): Queued | undefined {
    for (const [model, queue] of this.queues) {
      const queued = queue.shift();
      this.queues.delete(model);
      if (queue.length > 0) this.queues.set(model, queue);
      if (queued) return queued;
    }
    return undefined;
  }

  private delivery(queued: Queued): PredictionDelivery {
    let settled = false;
    return {
      request: queued.request,
      redeliveries: queued.redeliveries,
      ack: () => {
        settled = true;
      },
      nack: () => {
        if (settled || this.closed) return;
        settled = true;
        this.put({ request: queued.request, redeliveries: queued.redeliveries + 1 }, 'head');
      },
    };
  }
}

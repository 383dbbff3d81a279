import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import type { AsyncPredictionAdapters, PredictionOutcome } from '@ml-run/prediction-contract';

import { UNKNOWN_MODEL } from '../prediction/prediction.metrics';
import { RoutingTable } from '../routes/routing-table';
import { AsyncPredictionMetrics } from './async-prediction.metrics';
import { ASYNC_PREDICTIONS } from './async-prediction.service';
import { CALLBACK_SENDER, type CallbackSender } from './callbacks/callback-sender';

/**
 * What the router does with each replica's outcome: settle the record (the first outcome
 * wins), call back on a settle, count a redelivery. An outcome is acknowledged once this
 * resolves: a results store that is down rejects, and the feed offers the outcome again.
 */
@Injectable()
export class OutcomeHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutcomeHandler.name);
  private readonly callbacks = new Set<Promise<void>>();

  constructor(
    private readonly table: RoutingTable,
    private readonly metrics: AsyncPredictionMetrics,
    @Inject(ASYNC_PREDICTIONS) private readonly adapters: AsyncPredictionAdapters | null,
    @Inject(CALLBACK_SENDER) private readonly sender: CallbackSender | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.adapters?.outcomes.start((outcome) => this.handle(outcome));
  }

  async onApplicationShutdown(): Promise<void> {
    this.sender?.close();
    await Promise.all(this.callbacks);
  }

  async handle(outcome: PredictionOutcome): Promise<void> {
    if (this.adapters === null) return;
    const result = await this.adapters.results.settle(outcome);
    // A replica names the model in its outcome: only a known model becomes a label value.
    const model = this.table.model(outcome.model) ? outcome.model : UNKNOWN_MODEL;
    this.metrics.outcome(model, result.kind);
    if (result.kind === 'unknown') {
      this.logger.debug({ id: outcome.id, model }, 'outcome for no live prediction');
    }
    if (result.kind !== 'settled' || result.record.callback === undefined) return;
    // Called back off the acknowledgement path: a slow receiver must not hold outcomes.
    if (this.sender === null) return;
    const sending = this.sender.send(result.record).then((delivered) => {
      this.metrics.callback(delivered);
    });
    this.callbacks.add(sending);
    void sending.finally(() => this.callbacks.delete(sending));
  }
}

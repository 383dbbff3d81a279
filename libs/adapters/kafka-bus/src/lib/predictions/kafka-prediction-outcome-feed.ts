import { Logger } from '@nestjs/common';

import {
  PREDICTION_OUTCOME_TOPIC_PATTERN,
  predictionOutcomeTopicOf,
  type PredictionOutcome,
  type PredictionOutcomeFeed,
} from '@ml-run/prediction-contract';

import type { KafkaConnection } from './kafka-client';
import { KafkaWorkConsumer, type WorkItem } from './kafka-work-consumer';
import { decodeOutcome } from './prediction-codec';

/** The one group every router shares: each outcome is settled by one router. */
export const ROUTER_OUTCOMES_GROUP = 'ml-run.router.outcomes';

export type KafkaPredictionOutcomeFeedOptions = KafkaConnection & {
  /** Outcomes settled at once by this router; default 64. */
  maxInFlight?: number;
  /** How soon a new model's outcome topic is picked up; default 5000 ms. */
  topicRefreshMs?: number;
  /** Default ROUTER_OUTCOMES_GROUP; a test names its own. */
  groupId?: string;
};

/**
 * Every model's outcome topic, read by all routers in one group. An outcome's offset is
 * committed only after onOutcome resolved (at-least-once: a router that dies mid-batch
 * leaves its outcomes to another, and the results store keeps the first settle).
 */
export class KafkaPredictionOutcomeFeed implements PredictionOutcomeFeed {
  private readonly logger = new Logger(KafkaPredictionOutcomeFeed.name);
  private consumer: KafkaWorkConsumer | undefined;

  constructor(private readonly options: KafkaPredictionOutcomeFeedOptions) {}

  async start(onOutcome: (outcome: PredictionOutcome) => Promise<void>): Promise<void> {
    const {
      maxInFlight = 64,
      topicRefreshMs = 5000,
      groupId = ROUTER_OUTCOMES_GROUP,
    } = this.options;
    this.consumer = new KafkaWorkConsumer({
      ...this.options,
      groupId,
      topics: PREDICTION_OUTCOME_TOPIC_PATTERN,
      maxInFlight,
      topicRefreshMs,
      handle: async (item) => {
        const outcome = this.outcomeOf(item);
        if (outcome) await onOutcome(outcome);
        return [];
      },
    });
    await this.consumer.start();
  }

  async close(): Promise<void> {
    await this.consumer?.close();
  }

  // A model's replicas may write only their own outcome topic (ACL); an outcome naming
  // another model there is forged and dropped, as is anything that is not an outcome.
  private outcomeOf(item: WorkItem): PredictionOutcome | undefined {
    const outcome = decodeOutcome(item.value);
    if (
      outcome &&
      predictionOutcomeTopicOf(outcome.model) === item.topic &&
      outcome.id === item.key
    ) {
      return outcome;
    }
    this.logger.warn(
      { topic: item.topic, offset: item.offset },
      'outcome dropped: not an outcome of this topic',
    );
    return undefined;
  }
}

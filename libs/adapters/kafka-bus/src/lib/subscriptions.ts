import type { Logger } from '@nestjs/common';

import type { BusEvent, EventHandler, SubscribeOptions, Unsubscribe } from '@ml-run/event-bus';

import { KafkaBusError, KafkaBusErrorCode } from './kafka-bus.errors';

type Subscription = { handler: EventHandler<BusEvent>; onGap?: () => void };

/** Local handlers per topic: one Kafka consumer fans each message out to all of them. */
export class Subscriptions {
  private readonly byTopic = new Map<string, Set<Subscription>>();

  constructor(
    private readonly topics: readonly string[],
    private readonly logger: Logger,
  ) {
    for (const topic of topics) this.byTopic.set(topic, new Set());
  }

  add<E extends BusEvent>(
    topic: string,
    handler: EventHandler<E>,
    options: SubscribeOptions = {},
  ): Unsubscribe {
    const subscriptions = this.byTopic.get(topic);
    if (!subscriptions) {
      // The consumer's topic list is fixed at start(); a late topic would never deliver.
      const consumed = this.topics.length > 0 ? this.topics.join(', ') : 'none';
      throw new KafkaBusError(
        KafkaBusErrorCode.TopicNotConsumed,
        `cannot subscribe to "${topic}": this bus consumes only [${consumed}]; add it to the topics option`,
      );
    }
    const subscription: Subscription = {
      handler: handler as EventHandler<BusEvent>,
      onGap: options.onGap,
    };
    subscriptions.add(subscription);
    return () => void subscriptions.delete(subscription);
  }

  /** Hands the event to each handler in turn; one failing handler never stops the others. */
  async deliver(topic: string, event: BusEvent): Promise<void> {
    for (const { handler } of [...(this.byTopic.get(topic) ?? [])]) {
      try {
        await handler(event);
      } catch (error) {
        this.logger.error({ err: error, topic, type: event.type }, 'event handler failed');
      }
    }
  }

  /** Tells every subscriber that events may have been missed. */
  gap(reason: string): void {
    this.logger.warn({ reason }, 'events may have been missed; subscribers drop derived state');
    for (const [topic, subscriptions] of this.byTopic) {
      for (const { onGap } of [...subscriptions]) {
        try {
          onGap?.();
        } catch (error) {
          this.logger.error({ err: error, topic }, 'gap handler failed');
        }
      }
    }
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { EventPublisher } from '@ml-run/event-bus';
import { MODEL_EVENTS_TOPIC, type ModelEvent } from '@ml-run/registry-contract';

export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');

type WithoutAt<E> = E extends unknown ? Omit<E, 'at'> : never;

/** Publishes lifecycle events (docs/architecture.md §6) on MODEL_EVENTS_TOPIC, stamped with the time. */
@Injectable()
export class ModelEvents {
  private readonly logger = new Logger(ModelEvents.name);

  constructor(@Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher) {}

  // The registry is already changed when an event goes out: a bus failure is logged, not
  // thrown. Routers catch up from GET /v1/routes within their reconcile period, and a
  // standalone builder on Kafka keeps the event in its outbox until Kafka takes it.
  async publish(event: WithoutAt<ModelEvent>): Promise<void> {
    const stamped = { ...event, at: new Date().toISOString() } as ModelEvent;
    try {
      await this.publisher.publish(MODEL_EVENTS_TOPIC, stamped);
    } catch (error) {
      this.logger.error({ err: error, type: event.type }, 'model event not published');
    }
  }
}

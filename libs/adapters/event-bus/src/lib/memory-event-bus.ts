import { Logger } from '@nestjs/common';

import type { BusEvent, EventBus, EventHandler, Unsubscribe } from './event-bus.port';

/** The embedded-mode bus: synchronous fan-out inside one process; nothing is ever missed. */
export class MemoryEventBus implements EventBus {
  private readonly logger = new Logger(MemoryEventBus.name);
  private readonly handlers = new Map<string, Set<EventHandler<BusEvent>>>();

  async publish<E extends BusEvent>(topic: string, event: E): Promise<void> {
    for (const handler of this.handlers.get(topic) ?? []) {
      // One failing subscriber must not keep the event from the others.
      try {
        await handler(event);
      } catch (error) {
        this.logger.error({ err: error, topic, type: event.type }, 'event handler failed');
      }
    }
  }

  subscribe<E extends BusEvent>(topic: string, handler: EventHandler<E>): Unsubscribe {
    const handlers = this.handlers.get(topic) ?? new Set();
    this.handlers.set(topic, handlers);
    const registered = handler as EventHandler<BusEvent>;
    handlers.add(registered);
    return () => handlers.delete(registered);
  }
}

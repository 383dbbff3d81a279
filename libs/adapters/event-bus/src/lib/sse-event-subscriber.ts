import { Logger } from '@nestjs/common';
import { EventSource } from 'eventsource';

import type {
  BusEvent,
  EventHandler,
  EventSubscriber,
  SubscribeOptions,
  Unsubscribe,
} from './event-bus.port';

export type SseEventSubscriberOptions = {
  /** The event stream URL, e.g. http://127.0.0.1:8092/v1/tokens/events */
  url: string;
  /** Sent as `Authorization: Bearer`: event streams are for services only. */
  serviceToken: string;
};

/**
 * Receives one topic's events over server-sent events: how wrapper processes hear about
 * revocations in embedded mode, where the bus lives in the control-plane process. The
 * stream reconnects by itself; every reconnect is reported as a gap.
 */
export class SseEventSubscriber implements EventSubscriber {
  private readonly logger = new Logger(SseEventSubscriber.name);

  constructor(private readonly options: SseEventSubscriberOptions) {}

  subscribe<E extends BusEvent>(
    _topic: string,
    handler: EventHandler<E>,
    options: SubscribeOptions = {},
  ): Unsubscribe {
    const { url, serviceToken } = this.options;
    const source = new EventSource(url, {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: { ...init?.headers, authorization: `Bearer ${serviceToken}` },
        }),
    });
    let opened = false;
    source.onopen = () => {
      if (opened) options.onGap?.();
      opened = true;
      this.logger.log({ url }, 'event stream connected');
    };
    source.onerror = (error) =>
      this.logger.warn({ url, error: error.message }, 'event stream interrupted');
    source.onmessage = (message) => void this.deliver(message.data, handler);
    return () => source.close();
  }

  private async deliver<E extends BusEvent>(data: string, handler: EventHandler<E>): Promise<void> {
    try {
      await handler(JSON.parse(data) as E);
    } catch (error) {
      this.logger.error({ err: error }, 'event handler failed');
    }
  }
}

import { Logger } from '@nestjs/common';
import { EventSource } from 'eventsource';

import { exponentialDelayMs, type ExponentialDelay } from '@ml-run/async';

import type {
  BusEvent,
  EventHandler,
  EventSubscriber,
  SubscribeOptions,
  Unsubscribe,
} from './event-bus.port';
import { SSE_RETRY_MS } from './sse-format';

export type SseEventSubscriberOptions = {
  /** The event stream URL, e.g. http://127.0.0.1:8092/v1/tokens/events */
  url: string;
  /** Sent as `Authorization: Bearer`: the credential of the role the stream is for. */
  credential: string;
};

/** Between attempts while the server keeps refusing the stream: doubling up to 10 s. */
const REFUSED_RETRY: ExponentialDelay = { initialMs: SSE_RETRY_MS, maxMs: 10_000 };

type Subscription = {
  source?: EventSource;
  retry?: NodeJS.Timeout;
  opened: boolean;
  closed: boolean;
  refusals: number;
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
    const subscription: Subscription = { opened: false, closed: false, refusals: 0 };
    this.connect(subscription, handler, options);
    return () => {
      subscription.closed = true;
      clearTimeout(subscription.retry);
      subscription.source?.close();
    };
  }

  private connect<E extends BusEvent>(
    subscription: Subscription,
    handler: EventHandler<E>,
    options: SubscribeOptions,
  ): void {
    const { url } = this.options;
    const source = this.open();
    subscription.source = source;
    source.onopen = () => {
      if (subscription.opened) options.onGap?.();
      subscription.opened = true;
      subscription.refusals = 0;
      this.logger.log({ url }, 'event stream connected');
    };
    source.onerror = (error) => {
      if (subscription.closed) return;
      if (source.readyState !== EventSource.CLOSED) {
        this.logger.warn({ url, error: error.message }, 'event stream interrupted');
        return;
      }
      // EventSource gives up on any non-200 answer (a restarting server's 503, a 401):
      // revocations must keep arriving, so try again, more slowly each time.
      const delayMs = exponentialDelayMs(subscription.refusals, REFUSED_RETRY);
      subscription.refusals += 1;
      this.logger.error(
        { url, status: error.code, error: error.message, delayMs },
        'event stream refused',
      );
      subscription.retry = setTimeout(() => this.connect(subscription, handler, options), delayMs);
    };
    source.onmessage = (message) => void this.deliver(message.data, handler);
  }

  private open(): EventSource {
    const { url, credential } = this.options;
    return new EventSource(url, {
      fetch: async (input, init) => {
        const response = await fetch(input, {
          ...init,
          headers: { ...init?.headers, authorization: `Bearer ${credential}` },
        });
        // EventSource never reads a refusal's body; release its connection now.
        if (response.status !== 200) await response.body?.cancel();
        return response;
      },
    });
  }

  private async deliver<E extends BusEvent>(data: string, handler: EventHandler<E>): Promise<void> {
    try {
      await handler(JSON.parse(data) as E);
    } catch (error) {
      this.logger.error({ err: error }, 'event handler failed');
    }
  }
}

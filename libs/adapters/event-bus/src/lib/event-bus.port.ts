/** Every event names its type, e.g. `token.revoked`, `model.uploaded`. */
export type BusEvent = { type: string };

export type EventHandler<E extends BusEvent> = (event: E) => void | Promise<void>;

export type SubscribeOptions = {
  /**
   * Called when delivery resumes after a break (reconnect): events may have been missed,
   * so a subscriber holding derived state (an L1 cache) should drop it.
   */
  onGap?: () => void;
};

/** Stops a subscription. */
export type Unsubscribe = () => void;

export interface EventPublisher {
  publish<E extends BusEvent>(topic: string, event: E): Promise<void>;
}

export interface EventSubscriber {
  subscribe<E extends BusEvent>(
    topic: string,
    handler: EventHandler<E>,
    options?: SubscribeOptions,
  ): Unsubscribe;
}

/** In-process in embedded mode, Kafka in cluster mode. */
export interface EventBus extends EventPublisher, EventSubscriber {}

export const EVENT_BUS = Symbol('EVENT_BUS');
export const EVENT_SUBSCRIBER = Symbol('EVENT_SUBSCRIBER');

export {
  EVENT_BUS,
  EVENT_SUBSCRIBER,
  type BusEvent,
  type EventBus,
  type EventHandler,
  type EventPublisher,
  type EventSubscriber,
  type SubscribeOptions,
  type Unsubscribe,
} from './lib/event-bus.port';
export { MemoryEventBus } from './lib/memory-event-bus';
export { OutboxPublisher, type OutboxPublisherOptions } from './lib/outbox-publisher';
export { SseEventSubscriber, type SseEventSubscriberOptions } from './lib/sse-event-subscriber';
export { sseEvent, sseHeartbeat, sseHello, SSE_RETRY_MS } from './lib/sse-format';

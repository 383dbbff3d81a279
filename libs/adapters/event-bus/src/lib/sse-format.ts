import type { BusEvent } from './event-bus.port';

/** Reconnect delay the stream asks clients to use, in milliseconds. */
export const SSE_RETRY_MS = 500;

/** The first bytes of an event stream: the reconnect delay, and an opening comment. */
export function sseHello(): string {
  return `retry: ${SSE_RETRY_MS}\n: connected\n\n`;
}

/** One event in text/event-stream framing, as an unnamed message: its type is in the data. */
export function sseEvent(event: BusEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

/** A comment line that keeps idle proxies and clients from closing the stream. */
export function sseHeartbeat(): string {
  return ': heartbeat\n\n';
}

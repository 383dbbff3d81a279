import type { Message } from 'kafkajs';

import type { BusEvent } from '@ml-run/event-bus';

import { KafkaBusError, KafkaBusErrorCode } from './kafka-bus.errors';

/** Header carrying the event type, so tools can filter without parsing the value. */
export const TYPE_HEADER = 'type';

export type DecodedMessage = { ok: true; event: BusEvent } | { ok: false; reason: string };

/** One event as a Kafka message: JSON value, `type` header, and a key when there is one. */
export function encodeEvent(event: BusEvent): Message {
  if (typeof event?.type !== 'string' || event.type === '') {
    throw new KafkaBusError(
      KafkaBusErrorCode.InvalidEvent,
      'an event needs a non-empty string type',
    );
  }
  let value: string;
  try {
    value = JSON.stringify(event);
  } catch (error) {
    throw new KafkaBusError(KafkaBusErrorCode.InvalidEvent, `event ${event.type} is not JSON`, {
      cause: error,
    });
  }
  return { key: eventKey(event) ?? null, value, headers: { [TYPE_HEADER]: event.type } };
}

// The key names what the event is about (a token, a model), so a compacted or
// multi-partition topic keeps each subject's events together and in order.
export function eventKey(event: BusEvent): string | undefined {
  const fields = event as Record<string, unknown>;
  const deployment = fields['deployment'] as Record<string, unknown> | undefined;
  const candidates = [fields['tokenHash'], fields['name'], deployment?.['name']];
  return candidates.find((value): value is string => typeof value === 'string' && value !== '');
}

/** The event in a message value, or why it is not one (the message is then skipped). */
export function decodeEvent(value: Buffer | null): DecodedMessage {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'value is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'value is not a JSON object' };
  }
  const type = (parsed as Record<string, unknown>)['type'];
  if (typeof type !== 'string' || type === '') {
    return { ok: false, reason: 'value has no string type' };
  }
  return { ok: true, event: parsed as BusEvent };
}

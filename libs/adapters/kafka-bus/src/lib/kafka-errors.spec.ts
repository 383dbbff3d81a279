import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';

import { isProducerStateLost, isRetriable, messageOf } from './kafka-errors';

const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, retriable }));

// What kafkajs's retrier throws when it bails out: the original error as `cause`.
const wrapped = (cause: Error) =>
  Object.assign(new KafkaJSNonRetriableError(new Error('wrapped')), { cause });

describe(isRetriable.name, () => {
  it.each([
    ['a connection error', true, new KafkaJSConnectionError('ECONNREFUSED')],
    [
      'kafkajs giving up after retries',
      true,
      new KafkaJSNumberOfRetriesExceeded(new Error('x'), { retryCount: 3, retryTime: 1000 }),
    ],
    [
      'a non-retriable wrapper of a retriable cause',
      true,
      wrapped(new KafkaJSConnectionError('ECONNREFUSED')),
    ],
    ['a retriable protocol error', true, protocolError('LEADER_NOT_AVAILABLE', true)],
    ['a refusal', false, protocolError('TOPIC_AUTHORIZATION_FAILED', false)],
    ['a plain error', false, new Error('bug')],
    ['a non-error', false, 'boom'],
  ])('judges %s retriable: %p', (_, expected, error) => {
    expect(isRetriable(error)).toBe(expected);
  });
});

describe(isProducerStateLost.name, () => {
  it('recognizes the broker forgetting the producer, also when wrapped', () => {
    const lost = protocolError('UNKNOWN_PRODUCER_ID', false);
    expect(isProducerStateLost(lost)).toBe(true);
    expect(isProducerStateLost(wrapped(lost))).toBe(true);
    expect(isProducerStateLost(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', false))).toBe(true);
  });

  it('ignores other errors', () => {
    expect(isProducerStateLost(protocolError('NOT_LEADER_FOR_PARTITION', true))).toBe(false);
    expect(isProducerStateLost(new Error('x'))).toBe(false);
  });
});

describe(messageOf.name, () => {
  it('reads an error message, or stringifies anything else', () => {
    expect(messageOf(new Error('down'))).toBe('down');
    expect(messageOf(42)).toBe('42');
  });
});

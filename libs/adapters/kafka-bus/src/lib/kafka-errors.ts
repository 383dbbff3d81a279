import type { ExponentialDelay } from '@ml-run/async';

// How to react to what kafkajs throws. kafkajs wraps errors (KafkaJSNumberOfRetriesExceeded,
// KafkaJSNonRetriableError) with the original in `cause`; its consumer judges retriability
// the same way before restarting itself.

/** Between attempts at a retriable failure: 100, 200, 400 ... 2000 ms (within a deadline). */
export const RETRY_DELAY: ExponentialDelay = { initialMs: 100, maxMs: 2_000 };

type KafkaLikeError = Error & { retriable?: unknown; type?: unknown; cause?: unknown };

// Broker answers meaning the broker no longer knows this idempotent producer (its state
// expired after producer.id.expiration.ms of silence, or was lost): kafkajs never recovers
// from them, a new producer (new producer id) does.
const PRODUCER_STATE_LOST = new Set([
  'UNKNOWN_PRODUCER_ID',
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

function chainOf(error: unknown): KafkaLikeError[] {
  const chain: KafkaLikeError[] = [];
  let current = error;
  while (current instanceof Error && chain.length < 10) {
    chain.push(current as KafkaLikeError);
    current = (current as KafkaLikeError).cause;
  }
  return chain;
}

/** True when trying again later may succeed (broker down, leader moving, timeouts). */
export function isRetriable(error: unknown): boolean {
  const chain = chainOf(error);
  if (chain[0]?.name === 'KafkaJSNumberOfRetriesExceeded') return true;
  return chain.at(-1)?.retriable === true;
}

export function isProducerStateLost(error: unknown): boolean {
  return chainOf(error).some((e) => typeof e.type === 'string' && PRODUCER_STATE_LOST.has(e.type));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

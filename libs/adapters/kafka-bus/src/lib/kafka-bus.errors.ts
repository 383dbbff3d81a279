export enum KafkaBusErrorCode {
  /** start() could not reach the brokers, or join its consumer group, within connectTimeoutMs. */
  Unreachable = 'KAFKA_UNREACHABLE',
  /** Kafka did not acknowledge an event within publishTimeoutMs; it may still arrive later. */
  PublishTimeout = 'KAFKA_PUBLISH_TIMEOUT',
  /** Kafka refused an event for a reason retrying cannot fix (e.g. not authorized). */
  PublishFailed = 'KAFKA_PUBLISH_FAILED',
  /** publish() before start() finished. */
  NotStarted = 'KAFKA_BUS_NOT_STARTED',
  /** The bus is closing or closed. */
  Closed = 'KAFKA_BUS_CLOSED',
  /** subscribe() to a topic that is not in the bus's `topics` option. */
  TopicNotConsumed = 'KAFKA_TOPIC_NOT_CONSUMED',
  /** An event that cannot be sent: no string `type`, or not serializable as JSON. */
  InvalidEvent = 'KAFKA_INVALID_EVENT',
}

// No error mapper reads these codes: Unreachable fails start(), so the process does not
// start, and each publisher decides what a failed publish() means to its own caller.
export class KafkaBusError extends Error {
  constructor(
    readonly code: KafkaBusErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KafkaBusError';
  }
}

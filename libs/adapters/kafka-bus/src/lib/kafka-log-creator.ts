import type { Logger } from '@nestjs/common';
import { logLevel, type logCreator, type LogEntry } from 'kafkajs';

export type KafkaLogSink = Pick<Logger, 'error' | 'warn' | 'debug'>;

// Expected with our settings, so not worth a warning: we bound kafkajs's own retries (an
// unbounded retrier keeps reconnecting after disconnect) and retry whole sends ourselves,
// one at a time, until publishTimeoutMs.
const EXPECTED = ['Limiting retries for the idempotent producer may invalidate EoS guarantees'];

/** Routes kafkajs's own log lines (warn and error only) into the Nest logger. */
export function nestLogCreator(logger: KafkaLogSink): logCreator {
  return () => (entry: LogEntry) => {
    const { message, ...fields } = entry.log;
    // kafkajs's own timestamp and logger name add nothing to our log lines.
    const line: Record<string, unknown> = { kafkajs: entry.namespace, detail: message, ...fields };
    delete line['timestamp'];
    delete line['logger'];
    if (entry.level === logLevel.ERROR) logger.error(line, 'kafka client error');
    else if (entry.level === logLevel.WARN && !EXPECTED.includes(message)) {
      logger.warn(line, 'kafka client warning');
    } else logger.debug(line, 'kafka client message');
  };
}

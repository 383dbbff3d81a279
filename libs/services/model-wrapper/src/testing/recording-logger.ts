import type { RuntimeLogger } from '../lib/runtime/worker/worker-process';

/** One call of a RecordingLogger: its level, the structured fields and the message. */
export type LogEntry = { level: 'log' | 'warn' | 'error'; fields: unknown; message: unknown };

/** A runtime logger that keeps every call in `entries`, for specs to read. */
export function recordingLogger(): RuntimeLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record =
    (level: LogEntry['level']) =>
    (fields: unknown, message?: unknown): void => {
      entries.push({ level, fields, message });
    };
  return { entries, log: record('log'), warn: record('warn'), error: record('error') };
}
